using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Who may become primary, as the admin API shows and enforces it: n2 is NoFailover (the group is n1,
/// n2 and the witness w3), so n1 is the only member that may ever be primary.
/// </summary>
public sealed class EligibilityApiTests
{
    [Fact]
    public async Task A_NoFailover_member_is_shown_refused_as_a_target_and_the_group_says_why_it_has_no_primary()
    {
        await using var silo = new AdminSilo("nofailover", moreArgs: ["--Kevy:Groups:0:Members:0:Id=n2", "--Kevy:Groups:0:Members:0:NoFailover=true"]);
        var (primary, other) = await silo.StartWithPrimaryAsync();
        Assert.Equal(("n1", "n2"), (primary, other));

        var detail = await silo.GetJsonAsync($"/groups/{silo.Group}");
        var n2 = detail.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "n2");
        Assert.True(n2.GetProperty("noFailover").GetBoolean());
        Assert.Equal(0, n2.GetProperty("priority").GetInt32());
        Assert.Equal("NoFailover: this member never becomes primary", n2.GetProperty("notEligible").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("noPrimaryReason").ValueKind);

        Assert.Equal((HttpStatusCode.BadRequest, $"'n2' is NoFailover in group '{silo.Group}'; it never becomes primary"), await silo.SwitchoverAsync("n2"));
        Assert.Equal((HttpStatusCode.Conflict, $"no hosted replica of group '{silo.Group}' is up to take over"), await silo.SwitchoverAsync(null));

        // The only member that may be primary loses its data node: no one may take over, and the group says so.
        ScriptedDataNodes.Get(silo.Group, "n1").Alive = false;
        await Eventually.Until(async () =>
            (await silo.GetJsonAsync($"/groups/{silo.Group}")).GetProperty("noPrimaryReason").GetString() is { } reason
            && reason.StartsWith("no member that may become primary is up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "GET /groups/{g} says why the group has no primary");
        var after = await silo.GetJsonAsync($"/groups/{silo.Group}");
        Assert.DoesNotContain(after.GetProperty("members").EnumerateArray(), m => m.GetProperty("role").GetString() == "primary" && m.GetProperty("up").GetBoolean());
    }
}
