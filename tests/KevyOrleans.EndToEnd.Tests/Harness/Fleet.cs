using System.Text.Json;
using System.Text.Json.Nodes;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>
/// One group of hosted members over real redis-server data nodes, served by the real silo process:
/// the data nodes, the fleet file (written to disk and passed with --config), the silo, and the
/// admin API. Short timings keep the suite fast: hb 100 ms, down_after 1 s.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    public const string GroupName = "orders";
    private readonly List<SiloProcess> _silos = [];

    private Fleet(string directory, IReadOnlyList<DataNode> nodes)
    {
        Directory = directory;
        Nodes = nodes;
        AdminPort = FreePort.Get();
        SiloPort = FreePort.Get();
        GatewayPort = FreePort.Get();
        Admin = new AdminApi(new Uri($"http://127.0.0.1:{AdminPort}"));
    }

    public string Directory { get; }

    public IReadOnlyList<DataNode> Nodes { get; }

    public int AdminPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public AdminApi Admin { get; }

    public string ConfigFile => Path.Combine(Directory, "fleet.json");

    public string StorageDirectory => Path.Combine(Directory, "data");

    /// <summary>The silo now running, if any.</summary>
    public SiloProcess? Silo { get; private set; }

    /// <summary>Every silo process this fleet started, in order (their output survives them).</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    public DataNode this[string id] => Nodes.Single(n => n.Id == id);

    /// <summary>Starts <paramref name="members"/> redis-servers (n1..nN), writes the fleet file, starts the silo and waits until it serves.</summary>
    public static async Task<Fleet> StartAsync(int members, Action<JsonObject>? adjust = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"kevy-e2e-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var nodes = new List<DataNode>();
        for (var i = 1; i <= members; i++)
        {
            nodes.Add(new DataNode($"n{i}", await RedisServer.StartAsync().ConfigureAwait(false), FreePort.Get()));
        }
        var fleet = new Fleet(directory, nodes);
        var config = fleet.Configuration();
        adjust?.Invoke(config);
        await File.WriteAllTextAsync(fleet.ConfigFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        await fleet.StartSiloAsync().ConfigureAwait(false);
        return fleet;
    }

    public JsonObject Configuration() => new()
    {
        ["Kevy"] = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Provider"] = "File", ["Path"] = StorageDirectory },
            ["Clustering"] = new JsonObject
            {
                ["Provider"] = "Localhost",
                ["SiloPort"] = SiloPort,
                ["GatewayPort"] = GatewayPort,
                ["ClusterId"] = $"e2e-{Guid.NewGuid():N}",
            },
            ["Timings"] = new JsonObject
            {
                ["HeartbeatMs"] = 100, ["DownAfterMs"] = 1000, ["ElectionTimeoutMs"] = 600, ["BackoffMs"] = 100, ["BackoffJitterMs"] = 300,
            },
            ["Admin"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{AdminPort}", ["SwitchoverTimeoutMs"] = 8000 },
            ["Gateway"] = new JsonObject { ["Enabled"] = false },
            ["Groups"] = new JsonArray
            {
                new JsonObject
                {
                    ["Name"] = GroupName,
                    ["Peers"] = string.Join(',', Nodes.Select(n => $"{n.Id}@127.0.0.1:{n.ElectPort}:{n.Redis.Port}")),
                    ["Hosted"] = string.Join(',', Nodes.Select(n => n.Id)),
                    ["DataNodes"] = "redis",
                },
            },
        },
    };

    /// <summary>Starts the silo (again) with the fleet file and waits until /healthz says it serves.</summary>
    public async Task<SiloProcess> StartSiloAsync(Action<SiloProcess>? beforeReady = null)
    {
        var silo = SiloProcess.Start(Directory, "--config", ConfigFile);
        _silos.Add(silo);
        Silo = silo;
        beforeReady?.Invoke(silo);
        await Admin.WaitUntilHealthyAsync(silo, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return silo;
    }

    /// <summary>Waits until the group has one primary that every hosted member knows, and it is writable; returns it.</summary>
    public async Task<DataNode> WaitForWritablePrimaryAsync(TimeSpan within, string? otherThan = null)
    {
        var deadline = DateTime.UtcNow + within;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var status = await Admin.TryGetGroupAsync(GroupName).ConfigureAwait(false);
            if (status is { Primary: { } p } && p != otherThan && status.AllHostedKnow(p))
            {
                var node = this[p];
                if (node.Redis.IsRunning && await node.TryWriteAsync($"probe:{Guid.NewGuid():N}", "x", TimeSpan.FromMilliseconds(500)).ConfigureAwait(false))
                {
                    return node;
                }
            }
            last = status?.ToString() ?? "(no status)";
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"no writable primary{(otherThan is null ? "" : $" other than {otherThan}")} within {within.TotalSeconds} s; last status: {last}\nsilo output:\n{Silo?.Tail()}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var n in Nodes)
        {
            await n.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
