using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>
/// The real kevy-silo process (<c>--config</c> on a fleet file written here) with one group of three hosted
/// data members over three redis-servers; the admin API says who is primary.
/// </summary>
internal sealed class KevySiloGroup : IFailoverGroup
{
    private const string GroupName = "bench";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kevy-failover-bench-{Guid.NewGuid():N}");
    private readonly List<RedisServer> _nodes = [];
    private readonly int _adminPort = FreePort.Get();
    private readonly bool _fastFailover;
    private readonly int _heartbeatMs;
    private AdminApi? _admin;
    private SiloProcess? _silo;

    private KevySiloGroup(int downAfterMs, bool fastFailover, int heartbeatMs)
    {
        DownAfterMs = downAfterMs;
        _fastFailover = fastFailover;
        _heartbeatMs = heartbeatMs;
    }

    public string SystemName => "kevy-silo";

    public string Mode => _fastFailover ? "FastFailover on" : "FastFailover off";

    public int DownAfterMs { get; }

    public IReadOnlyList<RedisServer> DataNodes => _nodes;

    public static Task<KevySiloGroup> StartAsync(int downAfterMs, bool fastFailover, int heartbeatMs) =>
        IFailoverGroup.StartOrDisposeAsync(new KevySiloGroup(downAfterMs, fastFailover, heartbeatMs), g => g.StartProcessesAsync());

    public async Task<RedisServer?> TryStablePrimaryAsync()
    {
        var status = await _admin!.TryGetGroupAsync(GroupName).ConfigureAwait(false);
        if (status is not { Primary: { } id } || !status.AllHostedKnow(id) || !status.Members.All(m => m.Up))
        {
            return null;
        }
        var primary = _nodes[int.Parse(id[1..], CultureInfo.InvariantCulture) - 1];
        return await ReplicationLinks.AllLinkedAsync(primary, _nodes.Where(n => n != primary)).ConfigureAwait(false) ? primary : null;
    }

    public string Tail() => _silo?.Tail(30) ?? "(no silo)";

    public async ValueTask DisposeAsync()
    {
        if (_silo is { } silo)
        {
            await silo.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); // SIGTERM, SIGKILL after the grace
            await silo.DisposeAsync().ConfigureAwait(false);
        }
        _admin?.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    private async Task StartProcessesAsync()
    {
        Directory.CreateDirectory(_directory);
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await RedisServer.StartAsync().ConfigureAwait(false));
        }
        var file = Path.Combine(_directory, "fleet.json");
        await File.WriteAllTextAsync(file, FleetFile().ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        _silo = SiloProcess.Start(_directory, "--config", file);
        _admin = new AdminApi(new Uri($"http://127.0.0.1:{_adminPort}"));
        await _admin.WaitUntilHealthyAsync(_silo, TimeSpan.FromSeconds(90)).ConfigureAwait(false);
    }

    /// <summary>
    /// The e2e fleet's short election timings (tests/KevyOrleans.EndToEnd.Tests/Harness/Fleet.cs). Anti-flapping is
    /// off: back-to-back trials would otherwise measure its hold, and Sentinel resets its own after each failover.
    /// </summary>
    private JsonObject FleetFile() => new()
    {
        ["Kevy"] = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Provider"] = "File", ["Path"] = Path.Combine(_directory, "data") },
            ["Clustering"] = new JsonObject
            {
                ["Provider"] = "Localhost",
                ["SiloPort"] = FreePort.Get(),
                ["GatewayPort"] = FreePort.Get(),
                ["ClusterId"] = $"bench-{Guid.NewGuid():N}",
            },
            ["Timings"] = new JsonObject
            {
                ["HeartbeatMs"] = _heartbeatMs,
                ["DownAfterMs"] = DownAfterMs,
                ["ElectionTimeoutMs"] = Math.Min(1000, DownAfterMs * 3 / 5),
                ["BackoffMs"] = 100,
                ["BackoffJitterMs"] = 300,
            },
            ["Admin"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{_adminPort}" },
            ["Gateway"] = new JsonObject { ["Enabled"] = false },
            ["Groups"] = new JsonArray
            {
                new JsonObject
                {
                    ["Name"] = GroupName,
                    ["Peers"] = string.Join(',', _nodes.Select((n, i) => $"n{i + 1}@127.0.0.1:{FreePort.Get()}:{n.Port}")),
                    ["Hosted"] = "n1,n2,n3",
                    ["DataNodes"] = "redis",
                    ["FastFailover"] = _fastFailover,
                    ["MinimumTimeBetweenFailoversMs"] = 0,
                },
            },
        },
    };
}
