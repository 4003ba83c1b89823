using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests.Sentinel;

/// <summary>
/// Real Sentinel clients against the real silo's Sentinel endpoint over three real redis-servers: they
/// know only the endpoint and the group name, and follow a failover (SIGKILL of the primary's
/// redis-server) without the application doing anything.
/// </summary>
public sealed class SentinelClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StackExchange_Redis_in_sentinel_mode_writes_to_the_new_primary_and_redis_cli_sees_the_switch()
    {
        var port = FreePort.Get();
        await using var fleet = await Fleet.StartAsync(3, c => c["Kevy"]!["Sentinel"] = new JsonObject { ["Port"] = port });
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        Assert.True(await Eventually.HoldsAsync(async () => await MasterPortAsync(port) == primary.Redis.Port, Bound),
            $"the endpoint does not answer {primary.Id}'s port:\n{fleet.Silo!.Tail()}");

        await using var subscriber = ClientProcess.Start("redis-cli", "-p", Num(port), "SUBSCRIBE", "+switch-master");
        Assert.NotNull(await subscriber.WaitForLineAsync(l => l == "+switch-master", Bound));

        var options = new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", port } },
            ServiceName = Fleet.GroupName,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
            AsyncTimeout = 2000,
        };
        await using var client = await ConnectionMultiplexer.ConnectAsync(options);
        var db = client.GetDatabase();
        Assert.True(await db.StringSetAsync("before", "failover"));
        Assert.Equal("failover", await primary.GetAsync("before"));

        var killed = Stopwatch.StartNew();
        await primary.Redis.KillAsync(); // SIGKILL
        var written = false;
        while (!written && killed.Elapsed < Bound)
        {
            try
            {
                written = await db.StringSetAsync("after", "failover").WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                await Task.Delay(50);
            }
        }
        var took = killed.Elapsed;
        Assert.True(written, $"StackExchange.Redis wrote nothing within {Bound.TotalSeconds} s of the kill:\n{fleet.Silo!.Tail()}");
        Report($"StackExchange.Redis (sentinel mode): kill -> first successful write {took.TotalMilliseconds:0} ms");

        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
        Assert.Equal("failover", await successor.GetAsync("after"));

        // redis-cli, another implementation of the protocol, asks the same endpoint.
        var answer = await ClientProcess.RunAsync(Bound, "redis-cli", "-p", Num(port), "SENTINEL", "get-master-addr-by-name", Fleet.GroupName);
        Assert.Equal($"127.0.0.1\n{successor.Redis.Port}", answer);

        var expected = $"{Fleet.GroupName} 127.0.0.1 {primary.Redis.Port} 127.0.0.1 {successor.Redis.Port}";
        Assert.NotNull(await subscriber.WaitForLineAsync(l => l == expected, Bound));
        Assert.Contains("+switch-master", subscriber.Lines);
    }

    [Fact]
    public async Task Ioredis_in_sentinel_mode_writes_to_the_new_primary()
    {
        var modules = Path.Combine(RepoPaths.Root, "tests", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "ioredis")), "ioredis is not installed: run tests/run.sh (npm ci under tests/)");
        var port = FreePort.Get();
        await using var fleet = await Fleet.StartAsync(3, c => c["Kevy"]!["Sentinel"] = new JsonObject { ["Port"] = port });
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        Assert.True(await Eventually.HoldsAsync(async () => await MasterPortAsync(port) == primary.Redis.Port, Bound));

        var script = Path.Combine(RepoPaths.Root, "tests", "KevyOrleans.EndToEnd.Tests", "Sentinel", "ioredis-sentinel.js");
        await using var node = ClientProcess.Start("node", script, Num(port), Fleet.GroupName, modules);
        var onPrimary = $" {Num(primary.Redis.Port)}";
        Assert.NotNull(await node.WaitForLineAsync(l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith(onPrimary, StringComparison.Ordinal), Bound));

        var killed = Stopwatch.StartNew();
        var linesAtKill = node.Lines.Count;
        await primary.Redis.KillAsync();
        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
        var onSuccessor = $" {Num(successor.Redis.Port)}";
        var first = await node.WaitForLineAsync(l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith(onSuccessor, StringComparison.Ordinal), Bound);
        Assert.True(first is not null, $"ioredis did not write to {successor.Id}:\n{string.Join('\n', node.Lines.Skip(linesAtKill).Take(50))}\n{fleet.Silo!.Tail()}");
        Report($"ioredis (sentinel mode): kill -> first write seen on the new primary {killed.Elapsed.TotalMilliseconds:0} ms (upper bound: includes this test's polling)");
        var n = first!.Split(' ')[1];
        Assert.Equal(n, await successor.GetAsync($"ioredis:{n}"));
    }

    private static async Task<int?> MasterPortAsync(int sentinelPort)
    {
        var answer = await ClientProcess.RunAsync(TimeSpan.FromSeconds(10), "redis-cli", "-p", Num(sentinelPort), "SENTINEL", "get-master-addr-by-name", Fleet.GroupName);
        var lines = answer.Split('\n');
        return lines.Length == 2 && int.TryParse(lines[1], CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
