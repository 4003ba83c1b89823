using System.Diagnostics.Metrics;
using System.Net;
using KevyOrleans.Gateway.Sentinel;
using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>
/// The Sentinel endpoint's listener on a real loopback port, answering from views a test sets (the
/// refresher that builds them from group grains is proven end to end against the real silo).
/// </summary>
internal sealed class SentinelEndpoint : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly SentinelListener _listener;

    private SentinelEndpoint(SentinelOptions options, Func<string, CancellationToken, Task<SwitchoverOutcome>>? failover)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        Counters.Listen(meters);
        Failover = failover ?? ((g, _) => Task.FromResult(new SwitchoverOutcome(SwitchoverResult.Completed, "done", "n1", "n2", 2, 10)));
        State = new SentinelState(options, $"test-{Guid.NewGuid():N}", (g, ct) => Failover(g, ct), new SentinelMetrics(meters)) { DownAfterMs = 1000 };
        _listener = new SentinelListener(State, new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
    }

    public SentinelState State { get; }

    public GatewayCounters Counters { get; } = new();

    public Func<string, CancellationToken, Task<SwitchoverOutcome>> Failover { get; set; }

    public int Port => _listener.Endpoint.Port;

    public int OpenConnections => _listener.OpenConnections;

    public static SentinelEndpoint Start(Action<SentinelOptions>? configure = null, Func<string, CancellationToken, Task<SwitchoverOutcome>>? failover = null)
    {
        var options = new SentinelOptions { Port = 1 };
        configure?.Invoke(options);
        var endpoint = new SentinelEndpoint(options, failover);
        endpoint._listener.Start();
        return endpoint;
    }

    public Task<RespTestClient> ConnectAsync() => RespTestClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        Counters.Dispose();
        await _services.DisposeAsync();
    }
}

/// <summary>Views of a test group "orders": n1..n3 data nodes on 127.0.0.1 ports 7001..7003, plus witness w4.</summary>
internal static class TestViews
{
    public static readonly DataNodeAddress N1 = new("127.0.0.1", 7001);
    public static readonly DataNodeAddress N2 = new("127.0.0.1", 7002);
    public static readonly DataNodeAddress N3 = new("127.0.0.1", 7003);

    public static SentinelGroupView Orders(string? primary, ulong epoch = 1, params string[] down)
    {
        var members = new[] { ("n1", N1), ("n2", N2), ("n3", N3) }
            .Select(m => new SentinelMember(m.Item1, m.Item2, m.Item1 == primary ? Role.Primary : Role.Replica, !down.Contains(m.Item1), 100,
                primary))
            .ToList();
        var upVoters = members.Count(m => m.Up) + 1; // the witness is up
        return new SentinelGroupView("orders", epoch, members.Find(m => m.Id == primary), members, 3, upVoters);
    }
}
