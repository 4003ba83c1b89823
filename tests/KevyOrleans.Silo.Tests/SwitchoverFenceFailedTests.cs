using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>A switchover whose primary cannot fence its data node: 409 naming the member and the fence, and the primary stays.</summary>
public sealed class SwitchoverFenceFailedTests
{
    [Fact]
    public async Task A_failed_fence_is_reported_as_such_not_as_a_timeout_and_the_primary_stays()
    {
        await using var silo = new AdminSilo("fencefails");
        var (primary, target) = await silo.StartWithPrimaryAsync();
        var before = await silo.GetJsonAsync($"/groups/{silo.Group}");
        ScriptedDataNodes.Get(silo.Group, primary).FenceFails = true;

        var (status, body) = await silo.PostSwitchoverAsync(target);
        Assert.True(status == HttpStatusCode.Conflict, body);
        using var error = JsonDocument.Parse(body);
        var message = error.RootElement.GetProperty("error").GetString();
        Assert.Contains("fence could not be applied", message, StringComparison.Ordinal);
        Assert.Contains($"primary '{primary}'", message, StringComparison.Ordinal);

        var after = await silo.GetJsonAsync($"/groups/{silo.Group}");
        Assert.Equal(primary, after.GetProperty("primary").GetString());
        Assert.Equal(before.GetProperty("epoch").GetUInt64(), after.GetProperty("epoch").GetUInt64());
    }
}
