using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Switchover and the API agree on "up": a target whose grain answers but whose data node is dead is
/// shown DOWN by <c>GET /groups/{name}</c> and refused by the switchover at once, never planned for.
/// </summary>
public sealed class SwitchoverTargetUpTests
{
    [Fact]
    public async Task A_target_whose_data_node_is_dead_is_refused_as_not_up_and_the_primary_stays()
    {
        await using var silo = new AdminSilo("deadtarget");
        var (primary, dead) = await silo.StartWithPrimaryAsync(); // the only other data member
        ScriptedDataNodes.Get(silo.Group, dead).Alive = false;
        await Eventually.Until(async () =>
        {
            var shown = (await silo.GetJsonAsync($"/groups/{silo.Group}")).GetProperty("members").EnumerateArray()
                .Single(m => m.GetProperty("id").GetString() == dead);
            return !shown.GetProperty("up").GetBoolean() && shown.GetProperty("dataNodeHealthy").ValueKind == JsonValueKind.False;
        }, TimeSpan.FromSeconds(20), $"the API shows {dead} down because of its data node");
        var epoch = (await silo.GetJsonAsync($"/groups/{silo.Group}")).GetProperty("epoch").GetUInt64();

        Assert.Equal((HttpStatusCode.Conflict, $"'{dead}' is not up; it cannot take over now"), await silo.SwitchoverAsync(dead));
        // With no target named, nobody may take over either: the only data replica is not up.
        Assert.Equal((HttpStatusCode.Conflict, $"no hosted replica of group '{silo.Group}' is up to take over"), await silo.SwitchoverAsync(null));

        var after = await silo.GetJsonAsync($"/groups/{silo.Group}");
        Assert.Equal(primary, after.GetProperty("primary").GetString());
        Assert.Equal(epoch, after.GetProperty("epoch").GetUInt64());
    }
}
