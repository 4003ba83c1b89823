using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Three real kevy-silo processes on one machine, clustered through Azure Table storage on Azurite with
/// votes there too, one group of three over real redis-servers, the issue's timings (hb 200 ms,
/// down_after 5 s) and the failure detection the silo derives. Members spread as silos join, with no
/// election; a SIGKILLed silo's member comes back on another silo within 2 x down_after.
/// </summary>
public sealed class MultiSiloFleetTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int DownAfterMs = 5000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Silos_that_join_get_a_member_each_with_no_election_and_a_killed_silos_member_is_back_within_two_down_after()
    {
        await using var fleet = await Fleet.StartAsync(3, config =>
        {
            var kevy = config["Kevy"]!.AsObject();
            kevy["Storage"] = new JsonObject { ["Provider"] = "AzureTable", ["ConnectionString"] = azurite.ConnectionString };
            var clustering = kevy["Clustering"]!.AsObject();
            clustering["Provider"] = "AzureTable";
            clustering["ConnectionString"] = azurite.ConnectionString;
            clustering["AdvertisedAddress"] = "127.0.0.1";
            clustering["ClusterId"] = $"fleet-e2e-{Guid.NewGuid():N}";
            kevy["Timings"] = new JsonObject
            {
                ["HeartbeatMs"] = 200, ["DownAfterMs"] = DownAfterMs, ["ElectionTimeoutMs"] = 3000, ["BackoffMs"] = 1000, ["BackoffJitterMs"] = 1000,
            };
        });
        var first = await fleet.WaitForWritablePrimaryAsync(Bound);
        var epoch = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!.Epoch;

        // Two more silos, each with its own ports and admin API, the same fleet file.
        var silos = new List<(SiloProcess Process, AdminApi Admin, int SiloPort)> { (fleet.Silo!, fleet.Admin, fleet.SiloPort) };
        try
        {
            for (var i = 0; i < 2; i++)
            {
                int siloPort = FreePort.Get(), adminPort = FreePort.Get();
                var process = SiloProcess.Start(fleet.Directory, "--config", fleet.ConfigFile, $"--Kevy:Clustering:SiloPort={siloPort}",
                    $"--Kevy:Clustering:GatewayPort={FreePort.Get()}", $"--Kevy:Admin:Url=http://127.0.0.1:{adminPort}");
                var admin = new AdminApi(new Uri($"http://127.0.0.1:{adminPort}"));
                silos.Add((process, admin, siloPort));
                await admin.WaitUntilHealthyAsync(process, Bound);
            }

            var spread = await WaitFor(fleet.Admin, OneMemberPerSilo, "/silos: three active silos with one member each");
            output.WriteLine($"spread: {string.Join(", ", spread.Select(kv => $"{kv.Key} on {kv.Value}"))}");
            var settled = (await fleet.Admin.TryGetGroupAsync(Fleet.GroupName))!;
            Assert.Equal(epoch, settled.Epoch);
            Assert.Equal(first.Id, settled.Primary);
            Assert.Single(await fleet.Admin.GetHistoryAsync(Fleet.GroupName)); // the cold start's election only

            // SIGKILL the silo of the primary's member; its redis-server lives on.
            var victimAddress = spread[first.Id];
            var victim = silos.Single(s => victimAddress.Contains($":{s.SiloPort}:", StringComparison.Ordinal));
            var survivor = silos.First(s => s != victim);
            var clock = Stopwatch.StartNew();
            await victim.Process.KillAsync();
            await WaitFor(survivor.Admin, json => AllUpElsewhere(json, victimAddress), "every member up again, none on the killed silo", "/groups/orders");
            var back = clock.Elapsed;
            output.WriteLine($"silo {victimAddress} (primary {first.Id}) SIGKILLed: every member up on the other silos after {back.TotalMilliseconds:0} ms");
            Assert.True(back < TimeSpan.FromMilliseconds(2 * DownAfterMs), $"members back after {back.TotalMilliseconds:0} ms; the bound is 2 x down_after");

            // One primary per epoch, whether or not the group failed over.
            var history = await survivor.Admin.GetHistoryAsync(Fleet.GroupName);
            Assert.All(history.GroupBy(h => h.Epoch), e => Assert.Single(e.Select(h => h.Primary).Distinct()));
            // The moved primary restarted as a replica (write authority comes only from an election): one primary again.
            var deadline = DateTime.UtcNow + Bound;
            GroupView? after;
            while ((after = await survivor.Admin.TryGetGroupAsync(Fleet.GroupName)) is not { Primary: { } p } || !after.AllHostedKnow(p))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no primary every member knows after the kill: {after}");
                await Task.Delay(100);
            }
            output.WriteLine($"after the kill: primary {after.Primary} at epoch {after.Epoch} (was {first.Id} at {epoch})");
        }
        finally
        {
            foreach (var (process, admin, _) in silos.Skip(1))
            {
                await process.DisposeAsync();
                admin.Dispose();
            }
        }
    }

    /// <summary>member -> silo address when /silos shows three active silos with exactly one member each; null otherwise.</summary>
    private static Dictionary<string, string>? OneMemberPerSilo(JsonElement json)
    {
        var silos = json.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "active").ToList();
        if (silos.Count != 3 || silos.Any(s => s.GetProperty("members").GetArrayLength() != 1))
        {
            return null;
        }
        return silos.ToDictionary(s => s.GetProperty("members")[0].GetString()!.Split('/')[1], s => s.GetProperty("address").GetString()!);
    }

    private static Dictionary<string, string>? AllUpElsewhere(JsonElement json, string dead)
    {
        var members = json.GetProperty("members").EnumerateArray().ToList();
        var ok = members.Count == 3 && members.All(m => m.GetProperty("up").GetBoolean() && m.GetProperty("silo").GetString() is { } s && s != dead);
        return ok ? members.ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("silo").GetString()!) : null;
    }

    private static async Task<Dictionary<string, string>> WaitFor(AdminApi admin, Func<JsonElement, Dictionary<string, string>?> probe, string what, string path = "/silos")
    {
        var deadline = DateTime.UtcNow + Bound;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await admin.TryGetJsonAsync(path);
            if (last is { } json && probe(json) is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{what}: not within {Bound.TotalSeconds} s; last {path}: {last}");
    }
}
