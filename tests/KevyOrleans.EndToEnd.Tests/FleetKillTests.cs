using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Three real kevy-silo processes (Azure Table clustering and votes on Azurite, hb 200 ms, down_after 5 s, the
/// failure detection the silo derives), one group of three over redis-servers, one member per silo. SIGKILL a
/// silo, alone or with the primary's redis-server: its member comes back on another silo, the time is measured,
/// and the votes of every silo incarnation show no member voting twice in an epoch.
/// </summary>
public sealed class FleetKillTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int DownAfterMs = 5000;
    private const int Kills = 5;

    [Fact]
    public async Task Five_silo_kills_bring_the_members_back_within_two_down_after_and_a_kill_with_the_primarys_redis_elects_exactly_one()
    {
        await using var fleet = await SiloFleet.StartAsync(azurite, 3, heartbeatMs: 200, downAfterMs: DownAfterMs);
        await fleet.WaitForWritablePrimaryAsync();
        var spread = await Spread(fleet);

        // Kills 1..5: each time the silo of a different member (round robin, the primary's included), its redis-server alive.
        var times = new List<double>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var member = $"n{(kill % 3) + 1}";
            var (back, _) = await KillSiloOfAsync(fleet, spread, member);
            times.Add(back.TotalMilliseconds);
            output.WriteLine($"kill {kill + 1}: silo of {member} SIGKILLed, every member heartbeating again after {back.TotalMilliseconds:0} ms");
            Assert.True(back < TimeSpan.FromMilliseconds(2 * DownAfterMs), $"members back after {back.TotalMilliseconds:0} ms; the bound is 2 x down_after");
            spread = await ReplaceAsync(fleet);
        }
        times.Sort();
        var history = await fleet.AnyAdmin().GetHistoryAsync(Fleet.GroupName);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"silo SIGKILL to every member heartbeating again, {Kills} kills at down_after {DownAfterMs} ms: median {times[Kills / 2]:0} ms, max {times[^1]:0} ms (all: {string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}); elections after the cold start: {history.Count - 1} ({string.Join(", ", history.Select(h => $"{h.Epoch}:{h.Primary}"))})"));
        Assert.All(history.GroupBy(h => h.Epoch), e => Assert.Single(e.Select(h => h.Primary).Distinct()));
        fleet.FailedJoins.ForEach(output.WriteLine);

        // The primary's silo and its redis-server together: exactly one new primary, another member.
        var primary = await fleet.WaitForWritablePrimaryAsync();
        var before = (await fleet.AnyAdmin().TryGetGroupAsync(Fleet.GroupName))!.Epoch;
        await KillSiloOfAsync(fleet, spread, primary.Id, alsoRedis: primary);
        var successor = await fleet.WaitForWritablePrimaryAsync(otherThan: primary.Id);
        var admin = fleet.AnyAdmin();
        var after = (await admin.TryGetGroupAsync(Fleet.GroupName))!;
        output.WriteLine($"silo and redis-server of primary {primary.Id} killed: {successor.Id} primary at epoch {after.Epoch} (was {before})");
        var elections = (await admin.GetHistoryAsync(Fleet.GroupName)).Where(h => h.Epoch > before).ToList();
        Assert.Equal([successor.Id], elections.Select(h => h.Primary).Distinct());
        var writable = 0;
        foreach (var node in fleet.Fleet.Nodes.Where(n => n.Redis.IsRunning))
        {
            writable += await node.TryWriteAsync($"probe:{Guid.NewGuid():N}", "x", TimeSpan.FromMilliseconds(500)) ? 1 : 0;
        }
        Assert.Equal(1, writable);

        // No member released two votes in one epoch, over every incarnation of every silo (event 1002 lines).
        var votes = VoteJournal.Read(fleet.Processes);
        Assert.NotEmpty(votes);
        var twice = votes.GroupBy(v => (v.Voter, v.Epoch)).Where(g => g.Select(v => v.Candidate).Distinct().Count() > 1).ToList();
        Assert.True(twice.Count == 0, "voted twice: " + string.Join("; ", twice.Select(g => $"{g.Key.Voter}@{g.Key.Epoch}: {string.Join(",", g.Select(v => v.Candidate))}")));
        output.WriteLine($"{votes.Count} released votes over {fleet.Processes.Count} silo incarnations, none twice in an epoch");
    }

    /// <summary>SIGKILLs the silo hosting <paramref name="member"/> (and a redis-server with it); returns the time until every member is up on the other silos.</summary>
    private static async Task<(TimeSpan Back, FleetSilo Victim)> KillSiloOfAsync(SiloFleet fleet, Dictionary<string, string> spread, string member, DataNode? alsoRedis = null)
    {
        var address = spread[member];
        var victim = fleet.Silos.Single(s => !s.Process.HasExited && s.Is(address));
        var survivor = fleet.AnyAdmin(victim);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(victim.Process.KillAsync(), alsoRedis?.Redis.KillAsync() ?? Task.CompletedTask);
        if (alsoRedis is not null)
        {
            // A member without its data node never heartbeats again: wait for the other two to be up elsewhere.
            await SiloFleet.WaitForAsync(survivor, $"/groups/{Fleet.GroupName}", j => UpElsewhere(j, address, except: alsoRedis.Id), "the others up again elsewhere");
            return (clock.Elapsed, victim);
        }
        await SiloFleet.WaitForAsync(survivor, $"/groups/{Fleet.GroupName}", j => UpElsewhere(j, address, except: null), "every member up again, none on the killed silo");
        return (clock.Elapsed, victim);
    }

    /// <summary>Starts a silo in place of the killed one and waits until the members are one per silo again.</summary>
    private static async Task<Dictionary<string, string>> ReplaceAsync(SiloFleet fleet)
    {
        await fleet.AddAsync();
        return await Spread(fleet);
    }

    private static Task<Dictionary<string, string>> Spread(SiloFleet fleet) =>
        SiloFleet.WaitForAsync(fleet.AnyAdmin(), "/silos", j => SiloFleet.OneMemberPerSilo(j, 3), "/silos: three active silos with one member each");

    private static Dictionary<string, string>? UpElsewhere(JsonElement json, string dead, string? except)
    {
        var members = json.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("id").GetString() != except).ToList();
        var ok = members.Count > 0 && members.All(m => m.GetProperty("up").GetBoolean() && m.GetProperty("silo").GetString() is { } s && s != dead);
        return ok ? members.ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("silo").GetString()!) : null;
    }
}
