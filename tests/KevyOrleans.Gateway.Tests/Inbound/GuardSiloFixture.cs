using KevyOrleans.Gateway.Tests.Harness;

namespace KevyOrleans.Gateway.Tests.Inbound;

/// <summary>A silo hosting h1 and h2 of group "guard"; e3 is external. Its listeners face hostile input.</summary>
public sealed class GuardSiloFixture : IAsyncLifetime
{
    public const int MaxConnections = 64;

    public GatewaySilo Silo { get; } = new(new()
    {
        ["guard"] = [new TestMember("h1", Hosted: true), new TestMember("h2", Hosted: true), new TestMember("e3", Hosted: false)],
    }, o =>
    {
        // This fixture pins the listener's own limits; the per-source cap and the handshake window
        // (tested in Trust/) are relaxed so that they do not act first.
        o.MaxConnectionsPerListener = MaxConnections;
        o.MaxConnectionsPerSource = MaxConnections;
        o.HandshakeTimeoutMs = 10 * GatewaySilo.DownAfterMs;
    });

    public Task InitializeAsync() => Silo.StartAsync();

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
