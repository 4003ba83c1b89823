using KevyOrleans.Gateway.Tests.Harness;

namespace KevyOrleans.Gateway.Tests.Trust;

/// <summary>
/// Group "trust": externals e1 and e2 (played by peers on 127.0.0.1, heartbeating as replicas with more
/// data than h3, so nobody runs unless a test offers), hosted h3 and the hosted witness w4, and external
/// e5 on 127.0.0.3 (silent). Tight trust
/// limits so that tests can reach them: 8 connections per source, a 1 s handshake window, 50 frames a
/// second per connection with a burst of 50.
/// </summary>
public abstract class TrustSiloFixture : IAsyncLifetime
{
    public const int MaxConnections = 64;
    public const int PerSource = 8;
    public const int HandshakeMs = 1000;
    public const int FramesPerSecond = 50;
    public const int FrameBurst = 50;

    /// <summary>The configured host of external member e5.</summary>
    public const string OtherHost = "127.0.0.3";

    private readonly List<PeerHeartbeat> _beats = [];

    protected TrustSiloFixture(bool requireSourceAddress)
    {
        RequireSourceAddress = requireSourceAddress;
        Silo = new(new()
        {
            // e5 lives on another host (127.0.0.3, all of 127.0.0.0/8 is loopback) and is never played: nobody listens for it.
            ["trust"] = [new TestMember("e1", false), new TestMember("e2", false), new TestMember("h3", true), new TestMember("w4", true, Witness: true),
                new TestMember("e5", false, Host: OtherHost)],
        }, o =>
        {
            o.RequireSourceAddress = requireSourceAddress;
            o.MaxConnectionsPerListener = MaxConnections;
            o.MaxConnectionsPerSource = PerSource;
            o.HandshakeTimeoutMs = HandshakeMs;
            o.MaxFramesPerSecond = FramesPerSecond;
            o.FrameBurst = FrameBurst;
        });
    }

    public bool RequireSourceAddress { get; }

    public GatewaySilo Silo { get; }

    public ExternalPeer E1 { get; private set; } = null!;

    public ExternalPeer E2 { get; private set; } = null!;

    public int Port(string member) => Silo.Member("trust", member).ElectPort;

    public async Task InitializeAsync()
    {
        E1 = new ExternalPeer("e1", Silo.Member("trust", "e1").ElectPort);
        E2 = new ExternalPeer("e2", Silo.Member("trust", "e2").ElectPort);
        var targets = new Dictionary<string, int> { ["h3"] = Port("h3"), ["w4"] = Port("w4") };
        _beats.Add(new PeerHeartbeat(E1, "e1", () => RawFrames.Hb(1, "e1", "replica", 100), targets));
        _beats.Add(new PeerHeartbeat(E2, "e2", () => RawFrames.Hb(1, "e2", "replica", 100), targets));
        await Silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var b in _beats)
        {
            await b.DisposeAsync();
        }
        await E1.DisposeAsync();
        await E2.DisposeAsync();
        await Silo.DisposeAsync();
    }
}

/// <summary>The default: frames only from a member's configured address.</summary>
public sealed class SourceCheckedSiloFixture() : TrustSiloFixture(requireSourceAddress: true);

/// <summary><c>RequireSourceAddress = false</c>, as behind NAT: only the per-source limits stand between strangers and the port.</summary>
public sealed class UncheckedSourceSiloFixture() : TrustSiloFixture(requireSourceAddress: false);
