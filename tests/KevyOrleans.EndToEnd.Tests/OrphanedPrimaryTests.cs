using System.Diagnostics;
using System.Text.Json.Nodes;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Rule 13, issue 9 item 7: the silo process hosting the primary's member is SIGKILLed while its
/// redis-server lives; the others elect; no write is acknowledged by the old primary after the new one
/// took its first write. Three kevy-silo processes, each hosting one member of a 3-member redis group and
/// speaking to the others over the kevy wire, so nothing brings the dead member back: only the data
/// node's own self-fence (min-replicas-to-write) can stop it.
/// </summary>
public sealed class OrphanedPrimaryTests
{
    private const string Group = "orders";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_primary_whose_silo_is_killed_takes_no_write_after_its_successor_took_its_first()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"kevy-orphan-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        await using var n1 = new DataNode("n1", await RedisServer.StartAsync(), FreePort.Get());
        await using var n2 = new DataNode("n2", await RedisServer.StartAsync(), FreePort.Get());
        await using var n3 = new DataNode("n3", await RedisServer.StartAsync(), FreePort.Get());
        var nodes = new[] { n1, n2, n3 };
        var peers = string.Join(',', nodes.Select(n => $"{n.Id}@127.0.0.1:{n.ElectPort}:{n.Redis.Port}"));
        var config = Path.Combine(directory, "fleet.json");
        await File.WriteAllTextAsync(config, Configuration(peers).ToJsonString());

        var silos = new Dictionary<string, (SiloProcess Process, AdminApi Admin)>(StringComparer.Ordinal);
        try
        {
            foreach (var member in nodes.Select(n => n.Id))
            {
                var admin = new AdminApi(new Uri($"http://127.0.0.1:{FreePort.Get()}"));
                var process = SiloProcess.Start(directory, "--config", config, $"--Kevy:Groups:0:Hosted={member}",
                    $"--Kevy:Storage:Path={Path.Combine(directory, member)}", $"--Kevy:Admin:Url={admin.BaseAddress.ToString().TrimEnd('/')}",
                    $"--Kevy:Clustering:SiloPort={FreePort.Get()}", $"--Kevy:Clustering:GatewayPort={FreePort.Get()}",
                    $"--Kevy:Clustering:ClusterId=orphan-{member}-{Guid.NewGuid():N}");
                silos[member] = (process, admin);
            }
            foreach (var (process, admin) in silos.Values)
            {
                await admin.WaitUntilHealthyAsync(process, Bound);
            }

            var (primary, _) = await WritablePrimaryAsync(silos, nodes, null, Stopwatch.StartNew());
            var others = nodes.Where(n => n != primary).ToList();
            foreach (var r in others)
            {
                Assert.True(await Eventually.HoldsAsync(() => r.FollowsAsync(primary), Bound), $"{r.Id} does not follow {primary.Id}");
            }

            // A writer keeps writing to the old primary's redis-server directly, throughout.
            var clock = Stopwatch.StartNew();
            var oldAcks = new List<(int Key, TimeSpan At)>();
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    if (await primary.TryWriteAsync($"old:{i}", "x", TimeSpan.FromMilliseconds(300)))
                    {
                        lock (oldAcks)
                        {
                            oldAcks.Add((i, clock.Elapsed));
                        }
                    }
                    await Task.Delay(5); // two cores: leave the silos room
                }
            });
            await Task.Delay(300);

            await silos[primary.Id].Process.KillAsync();
            Assert.True(primary.Redis.IsRunning);
            // The successor's first acknowledged write: from the kill on, both other nodes are tried in turn
            // (a replica answers -READONLY) until one takes a write.
            DataNode? successor = null;
            var firstNewAck = TimeSpan.Zero;
            for (var deadline = DateTime.UtcNow + Bound; successor is null && DateTime.UtcNow < deadline;)
            {
                foreach (var candidate in others)
                {
                    if (await candidate.TryWriteAsync("new:first", "x", TimeSpan.FromMilliseconds(200)))
                    {
                        firstNewAck = clock.Elapsed;
                        successor = candidate;
                        break;
                    }
                }
            }
            Assert.True(successor is not null, "no other node took a write after the kill");
            var (elected, _) = await WritablePrimaryAsync(silos.Where(s => s.Key != primary.Id).ToDictionary(), others, primary.Id, clock);
            Assert.Equal(successor.Id, elected.Id);

            // Longer than min-replicas-max-lag + 1 s: an old primary that kept its lag budget would show it.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stop.CancelAsync();
            await writer;

            var info = await primary.ReplicationAsync();
            Assert.Equal("master", info.GetValueOrDefault("role")); // still a master nobody told anything
            (int Key, TimeSpan At)[] acks;
            lock (oldAcks)
            {
                acks = [.. oldAcks];
            }
            Assert.NotEmpty(acks);
            var late = acks.Where(a => a.At >= firstNewAck).ToList();
            Assert.True(late.Count == 0,
                $"the old primary {primary.Id} acknowledged {late.Count} writes after {successor.Id} took one at {firstNewAck.TotalMilliseconds:0} ms " +
                $"(first late one at {late.FirstOrDefault().At.TotalMilliseconds:0} ms; {acks.Length} acknowledged in all)");
        }
        finally
        {
            foreach (var (process, admin) in silos.Values)
            {
                await process.DisposeAsync();
                admin.Dispose();
            }
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp directory
            }
        }
    }

    private static JsonObject Configuration(string peers) => new()
    {
        ["Kevy"] = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Provider"] = "File" },
            ["Clustering"] = new JsonObject { ["Provider"] = "Localhost" },
            ["Timings"] = new JsonObject
            {
                ["HeartbeatMs"] = 200, ["DownAfterMs"] = 2000, ["ElectionTimeoutMs"] = 1200, ["BackoffMs"] = 200, ["BackoffJitterMs"] = 400,
            },
            ["Gateway"] = new JsonObject { ["Enabled"] = true },
            ["Groups"] = new JsonArray
            {
                new JsonObject { ["Name"] = Group, ["Peers"] = peers, ["DataNodes"] = "redis" },
            },
        },
    };

    /// <summary>A data node that every answering silo reports as primary, and the <paramref name="clock"/> time it acknowledged a write.</summary>
    private static async Task<(DataNode Node, TimeSpan AckedAt)> WritablePrimaryAsync(IReadOnlyDictionary<string, (SiloProcess Process, AdminApi Admin)> silos,
        IReadOnlyList<DataNode> nodes, string? otherThan, Stopwatch clock)
    {
        var deadline = DateTime.UtcNow + Bound;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(silos.Values.Select(s => s.Admin.TryGetGroupAsync(Group)));
            var primaries = views.Select(v => v?.Primary).Distinct().ToList();
            if (primaries is [{ } p] && p != otherThan && nodes.FirstOrDefault(n => n.Id == p) is { } node &&
                await node.TryWriteAsync($"probe:{Guid.NewGuid():N}", "x", TimeSpan.FromMilliseconds(500)))
            {
                return (node, clock.Elapsed);
            }
            last = string.Join(" | ", views.Select(v => v?.ToString() ?? "(no answer)"));
            await Task.Delay(100);
        }
        throw new TimeoutException($"no writable primary{(otherThan is null ? "" : $" other than {otherThan}")}: {last}\n" +
            string.Join("\n---\n", silos.Select(s => $"{s.Key}:\n{s.Value.Process.Tail(30)}")));
    }
}
