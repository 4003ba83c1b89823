using System.Globalization;

namespace KevyOrleans.Silo.Demo;

/// <summary>
/// The demo: three redis-server data nodes on free ports, one group of three hosted members over
/// them in this process's silo (file storage in a temporary directory), the status page, and a
/// narration of what happens when the primary's data node is killed.
/// </summary>
public static class DemoCommand
{
    public const string Group = "demo";

    // Quicker than kevy's defaults so a failover is seen in about two seconds.
    private static readonly string[] Timings =
    [
        "--Kevy:Timings:HeartbeatMs=100", "--Kevy:Timings:DownAfterMs=2000", "--Kevy:Timings:ElectionTimeoutMs=1000",
        "--Kevy:Timings:BackoffMs=200", "--Kevy:Timings:BackoffJitterMs=800",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        DemoOptions options;
        try
        {
            options = DemoOptions.Parse(args);
        }
        catch (ConfigurationProblem problem)
        {
            await Console.Error.WriteLineAsync($"kevy-silo {problem.Message}").ConfigureAwait(false);
            return 2;
        }
        if (DemoDataNode.FindBinary() is not { } redis)
        {
            await Console.Error.WriteLineAsync(
                "kevy-silo demo: redis-server is not installed (not found on PATH). Install it, e.g. `sudo apt-get install -y redis-server`, and run the demo again.")
                .ConfigureAwait(false);
            return 1;
        }
        var directory = Path.Combine(Path.GetTempPath(), $"kevy-demo-{Guid.NewGuid():N}");
        var nodes = Enumerable.Range(1, 3)
            .Select(i => new DemoDataNode($"n{i}", redis, DemoPorts.Next(), Path.Combine(directory, $"n{i}")))
            .ToList();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            foreach (var n in nodes)
            {
                await n.StartAsync().ConfigureAwait(false);
            }
            // Sentinel's own default port when it is free, so `redis-cli -p 26379 SENTINEL ...` just works.
            var sentinelPort = DemoPorts.IsFree(26379) ? 26379 : DemoPorts.Next();
            var app = SiloHost.Build([.. SiloArguments(options, directory, nodes), $"--Kevy:Sentinel:Port={sentinelPort}"]);
            await app.StartAsync(stop.Token).ConfigureAwait(false);
            try
            {
                Banner(options, nodes, sentinelPort);
                var narrator = new DemoNarrator(app.Services.GetRequiredService<IGrainFactory>(), nodes, TimeSpan.FromSeconds(2), Console.Out);
                return await narrator.RunAsync(options, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (ConfigurationProblem problem)
        {
            await Console.Error.WriteLineAsync($"kevy-silo demo: {problem.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync().ConfigureAwait(false);
            }
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // a temp directory; best effort
            }
            Console.WriteLine("demo stopped: the silo and the three redis-servers are gone.");
        }
    }

    private static IEnumerable<string> SiloArguments(DemoOptions options, string directory, IReadOnlyList<DemoDataNode> nodes)
    {
        var peers = string.Join(',', nodes.Select(n => $"{n.Id}@127.0.0.1:{n.ElectPort}:{n.Port}"));
        return
        [
            $"--Kevy:Storage:Path={Path.Combine(directory, "data")}",
            $"--Kevy:Clustering:SiloPort={DemoPorts.Next()}",
            $"--Kevy:Clustering:GatewayPort={DemoPorts.Next()}",
            $"--Kevy:Admin:Url={options.AdminUrl}",
            "--Kevy:Gateway:Enabled=false", // every member is hosted: no kevy server to talk to
            $"--Kevy:Groups:0:Name={Group}",
            $"--Kevy:Groups:0:Peers={peers}",
            $"--Kevy:Groups:0:Hosted={string.Join(',', nodes.Select(n => n.Id))}",
            "--Kevy:Groups:0:DataNodes=redis",
            // The narration is the demo's output; the silo's own log says only what goes wrong.
            "--Logging:LogLevel:Default=Warning",
            // One-way frames still in flight when the demo stops are reported as errors; they are expected then.
            "--Logging:LogLevel:Orleans.Messaging=Critical",
            "--Logging:LogLevel:Polly=Error", // placement retries of those same frames
            "--Logging:Console:FormatterName=simple",
            .. Timings,
        ];
    }

    private static void Banner(DemoOptions options, IReadOnlyList<DemoDataNode> nodes, int sentinelPort)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"kevy-silo demo: group '{Group}' of three members hosted as grains, each driving a redis-server:");
        foreach (var n in nodes)
        {
            Console.WriteLine(string.Create(c, $"  {n.Id}  redis-server pid {n.ProcessId} on 127.0.0.1:{n.Port}"));
        }
        Console.WriteLine($"status page: {options.AdminUrl.TrimEnd('/')}/    (API: {options.AdminUrl.TrimEnd('/')}/groups/{Group})");
        Console.WriteLine(string.Create(c, $"Sentinel endpoint: 127.0.0.1:{sentinelPort}    (redis-cli -p {sentinelPort} SENTINEL get-master-addr-by-name {Group}; clients: serviceName={Group})"));
        Console.WriteLine("timings: heartbeat 100 ms, down_after 2000 ms. Ctrl-C stops the demo and everything it started.");
    }
}
