using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using KevyOrleans.Grains;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>Another silo's Sentinel endpoint, as <c>SENTINEL SENTINELS</c> gives it out.</summary>
/// <param name="RunId">Its <c>SENTINEL MYID</c>.</param>
/// <param name="Ip">Its announced address.</param>
/// <param name="Port">Its port.</param>
/// <param name="SinceHelloMs">Milliseconds since it last announced itself.</param>
[GenerateSerializer]
[Alias("kevy.sentinel-peer")]
public sealed record SentinelPeer(
    [property: Id(0)] string RunId,
    [property: Id(1)] string Ip,
    [property: Id(2)] int Port,
    [property: Id(3)] long SinceHelloMs);

/// <summary>
/// What every connection of this silo's endpoint answers from: the latest view of every group, the
/// other silos' endpoints, this endpoint's id, and the event hub. The refresher replaces the views;
/// connections only read them.
/// </summary>
internal sealed class SentinelState
{
    private ImmutableDictionary<string, SentinelGroupView> _views = ImmutableDictionary.Create<string, SentinelGroupView>(StringComparer.Ordinal);
    private IReadOnlyList<SentinelPeer> _peers = [];

    public SentinelState(SentinelOptions options, string identity, Func<string, CancellationToken, Task<SwitchoverOutcome>> failover, SentinelMetrics metrics)
    {
        Options = options;
        Metrics = metrics;
        MyId = IdOf(identity);
        Failover = failover;
        Hub = new SentinelHub(options.MaxSubscribers);
    }

    public SentinelOptions Options { get; }

    /// <summary>40 hex characters, stable for one silo identity, as Sentinel's own ids are.</summary>
    public string MyId { get; }

    public SentinelHub Hub { get; }

    public SentinelMetrics Metrics { get; }

    /// <summary>Runs a planned switchover of a group (<c>SENTINEL FAILOVER</c>).</summary>
    public Func<string, CancellationToken, Task<SwitchoverOutcome>> Failover { get; }

    /// <summary>The port clients reach this endpoint on (the bound one once started).</summary>
    public int Port { get; set; }

    /// <summary>The longest down_after of the groups (Sentinel's <c>down-after-milliseconds</c>).</summary>
    public int DownAfterMs { get; init; } = 5000;

    /// <summary>When this endpoint started, for INFO's uptime.</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public IReadOnlyDictionary<string, SentinelGroupView> Views => Volatile.Read(ref _views);

    public IReadOnlyList<SentinelPeer> Peers => Volatile.Read(ref _peers);

    /// <summary>The configured group names in order (ROLE, SENTINEL MASTERS).</summary>
    public IEnumerable<string> GroupNames => Views.Keys.Order(StringComparer.Ordinal);

    public SentinelGroupView? Find(string group) => Views.GetValueOrDefault(group);

    public void SetView(SentinelGroupView view) =>
        ImmutableInterlocked.Update(ref _views, (views, v) => views.SetItem(v.Name, v), view);

    public void SetPeers(IEnumerable<SentinelPeer> peers) => Volatile.Write(ref _peers, (IReadOnlyList<SentinelPeer>)[.. peers]);

    private static string IdOf(string identity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 20));
}
