using System.Diagnostics.Metrics;
using System.Net.Sockets;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Grains.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KevyOrleans.Grains.Tests;

/// <summary>Rule 14 in the member runner: which probe failures are certain death, the notice, and a peer's notice.</summary>
public sealed class HostedMemberCertainDeathTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MemoryMemberOutbox _outbox = new();
    private readonly FailingDataNode _node = new();

    public void Dispose() => _services.Dispose();

    private HostedMember Member(bool fastFailover = true)
    {
        var g = ScriptedMemberBench.Group();
        var group = new GroupDefinition(g.Name, g.Election, g.Hosted, g.Timings, g.DataNodes) { FastFailover = fastFailover };
        return new HostedMember(group, "n2", new MemoryMemberStore(), _outbox, _node, TimeProvider.System, NullLogger.Instance,
            new KevyMetrics(_services.GetRequiredService<IMeterFactory>()), TimeSpan.FromSeconds(1), new Random(1));
    }

    [Fact]
    public async Task A_refused_probe_releases_one_notice_and_a_timed_out_probe_none()
    {
        var member = Member();
        await member.TickAsync();
        _node.Failure = new IOException("127.0.0.1:6002: PING failed: TimedOut", new SocketException((int)SocketError.TimedOut));
        await member.TickAsync();
        Assert.Empty(_outbox.DeathNotices); // a timeout is never certain
        _node.Failure = new IOException("127.0.0.1:6002: connect failed", new SocketException((int)SocketError.ConnectionRefused));
        await member.TickAsync();
        await member.TickAsync();
        Assert.Equal(new CertainDeathNotice("n2", member.Epoch, Role.Replica), Assert.Single(_outbox.DeathNotices));
    }

    [Fact]
    public async Task With_fast_failover_off_a_refused_probe_releases_nothing()
    {
        var member = Member(fastFailover: false);
        _node.Failure = new IOException("connect failed", new SocketException((int)SocketError.ConnectionRefused));
        await member.TickAsync();
        await member.DataNodeDeadAsync();
        Assert.Empty(_outbox.DeathNotices);
    }

    [Fact]
    public async Task A_peer_notice_that_is_taken_probes_the_own_data_node_at_once()
    {
        var member = Member();
        await member.TickAsync();
        var probes = _node.Probes;
        await member.PeerDataNodeDeadAsync(new CertainDeathNotice("n1", member.Epoch, Role.Primary));
        Assert.Equal(probes + 1, _node.Probes);
        await member.PeerDataNodeDeadAsync(new CertainDeathNotice("nobody", member.Epoch, Role.Primary)); // ignored: no probe
        Assert.Equal(probes + 1, _node.Probes);
    }

    private sealed class FailingDataNode : IDataNode
    {
        private int _probes;

        public Exception? Failure { get; set; }

        public int Probes => Volatile.Read(ref _probes);

        public Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probes);
            return Failure is { } e ? Task.FromException<DataNodeProbe>(e) : Task.FromResult(new DataNodeProbe(true, 5));
        }

        public Task PromoteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task FenceAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UnfenceAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
