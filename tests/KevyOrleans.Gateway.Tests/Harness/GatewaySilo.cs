using System.Diagnostics.Metrics;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Hosting;
using KevyOrleans.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>One member of a test group: hosted by the silo, or external (played by an <see cref="ExternalPeer"/>).</summary>
public sealed record TestMember(string Id, bool Hosted, bool Witness = false, string Host = "127.0.0.1")
{
    public int ElectPort { get; } = FreePort.Get();

    public int ClientPort { get; } = FreePort.Get();

    public string Entry => Witness ? $"{Id}@{Host}:{ElectPort}" : $"{Id}@{Host}:{ElectPort}:{ClientPort}";
}

/// <summary>
/// A real, single Orleans silo with the election and the gateway, its votes in a file store that
/// outlives <see cref="RestartAsync"/>. Short timings: HB 100 ms, DOWN after 1 s.
/// </summary>
public sealed class GatewaySilo : IAsyncDisposable
{
    public const int HeartbeatMs = 100;
    public const int DownAfterMs = 1000;

    private readonly string _data;
    private readonly int? _primarySiloPort;
    private readonly Dictionary<string, TestMember[]> _groups;
    private readonly Action<GatewayOptions>? _gateway;
    private IHost? _host;

    /// <param name="groups">The groups and their members.</param>
    /// <param name="gateway">This silo's gateway options.</param>
    /// <param name="primarySiloPort">Join the cluster of the silo on this port (Localhost clustering) instead of starting one.</param>
    /// <param name="dataDirectory">The vote files, shared by the silos of one cluster; null = a directory of its own.</param>
    /// <param name="prefix">The group-name prefix, the same for the silos of one cluster; null = a new one.</param>
    public GatewaySilo(Dictionary<string, TestMember[]> groups, Action<GatewayOptions>? gateway = null, int? primarySiloPort = null,
        string? dataDirectory = null, string? prefix = null)
    {
        _groups = groups;
        _gateway = gateway;
        _primarySiloPort = primarySiloPort;
        _data = dataDirectory ?? Path.Combine(Path.GetTempPath(), $"kevy-gw-{Guid.NewGuid():N}");
        Prefix = prefix ?? $"g{Guid.NewGuid():N}"[..8];
    }

    /// <summary>This silo's Orleans silo port (other silos of its cluster join through it).</summary>
    public int SiloPort { get; } = FreePort.Get();

    /// <summary>Every gateway measurement of this silo, by instrument and reason/verb tag.</summary>
    public GatewayCounters Counters { get; } = new();

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The running silo's services (for the gateway's listeners in tests that reach into them).</summary>
    public IServiceProvider Services => _host!.Services;

    public string Prefix { get; }

    public string Group(string name) => $"{Prefix}-{name}";

    public TestMember Member(string group, string id) => _groups[group].Single(m => m.Id == id);

    public async Task StartAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kevy:Storage:Path"] = _data,
            ["Kevy:Timings:HeartbeatMs"] = $"{HeartbeatMs}",
            ["Kevy:Timings:DownAfterMs"] = $"{DownAfterMs}",
            ["Kevy:Timings:ElectionTimeoutMs"] = "600",
            ["Kevy:Timings:BackoffMs"] = "200",
            ["Kevy:Timings:BackoffJitterMs"] = "400",
        };
        var i = 0;
        foreach (var (name, members) in _groups)
        {
            settings[$"Kevy:Groups:{i}:Name"] = Group(name);
            settings[$"Kevy:Groups:{i}:Peers"] = string.Join(',', members.Select(m => m.Entry));
            settings[$"Kevy:Groups:{i}:Hosted"] = string.Join(',', members.Where(m => m.Hosted).Select(m => m.Id));
            settings[$"Kevy:Groups:{i}:Witnesses"] = string.Join(',', members.Where(m => m.Witness).Select(m => m.Id));
            settings[$"Kevy:Groups:{i}:DataNodes"] = "redis";
            i++;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = Host.CreateDefaultBuilder()
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(SiloPort, FreePort.Get(),
                    _primarySiloPort is { } primary ? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, primary) : null);
                silo.AddKevyElection(config.GetSection("Kevy"));
                silo.AddKevyGateway(_gateway ?? (_ => { }));
                silo.Services.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>();
                silo.AddIncomingGrainCallFilter<FrameJournalFilter>();
            })
            .ConfigureServices(s => s.AddSingleton(Counters))
            .Build();
        Counters.Listen(_host.Services.GetRequiredService<IMeterFactory>());
        await _host.StartAsync().ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().ConfigureAwait(false);
            _host.Dispose();
            _host = null;
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    public Task<GroupStatus> Status(string group) => Grains.GetGrain<IGroupGrain>(Group(group)).GetStatus();

    public Task<MemberSnapshot> Snapshot(string group, string member) =>
        Grains.GetGrain<IMemberGrain>(MemberKey.Format(Group(group), member)).GetStatus();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Counters.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
