using System.Diagnostics;
using KevyOrleans.Gateway.Outbound;
using KevyOrleans.Gateway.Tests.Outbound.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Outbound;

public sealed class OutboundLinkTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly OutboundLinkKey Key = new("g", "n1", "k2");

    private readonly MetricsProbe _probe = new();
    private readonly ListLogger _log = new();
    private readonly int _port = FreePort.Get();

    public void Dispose() => _probe.Dispose();

    private OutboundLink Link(int capacity = 256, string host = "127.0.0.1") => new(Key, host, _port,
        new GatewayOptions { QueueCapacity = capacity, ReconnectBaseBackoffMs = 10, ReconnectMaxBackoffMs = 40 },
        _probe.Metrics, _log, random: new Random(7));

    private static ElectionMessage Hb(ulong offset) => ElectionMessage.Heartbeat(3, "n1", Role.Replica, offset);

    private static Task Until(Func<bool> condition, string what) => TestWait.Until(condition, Patience, what);

    [Fact]
    public async Task The_peer_receives_exactly_the_encoders_bytes_in_order()
    {
        await using var peer = new FramePeer(_port);
        await using var link = Link();
        List<ElectionMessage> sent = [];
        for (ulong i = 0; i < 50; i++)
        {
            sent.Add(i % 10 == 5 ? ElectionMessage.Offer(4 + i, "n1", i) : Hb(i));
        }
        sent.Add(ElectionMessage.Accept(9, "n1"));
        sent.Add(ElectionMessage.Announce(9, "n1", "10.0.0.1:6379"));

        foreach (var m in sent)
        {
            link.Enqueue(m);
        }

        Assert.Equal(sent, await peer.WaitForFramesAsync(sent.Count, Patience));
        Assert.Equal(sent.SelectMany(m => FrameEncoder.Encode(m)), peer.Bytes);
        Assert.Equal(1, peer.Accepted);
        await Until(() => _probe.Get("kevy.gateway.frames.out") == sent.Count, "frames.out counted");
        Assert.Equal(5, _probe.Get("kevy.gateway.frames.out", "OFFER"));
        Assert.Equal(1, _probe.Get("kevy.gateway.connections", "out"));
        Assert.True(link.IsConnected);
    }

    [Fact]
    public async Task Frames_queued_while_the_peer_is_down_arrive_when_it_comes_up_latest_heartbeats_first_within_the_bound()
    {
        await using var link = Link(capacity: 4);
        link.Enqueue(ElectionMessage.Offer(5, "n1", 0));
        for (ulong i = 0; i < 10; i++)
        {
            link.Enqueue(Hb(i));
            Assert.True(link.QueueDepth <= 4);
        }
        await Until(() => _probe.Get("kevy.gateway.reconnects") >= 2, "refused connects retried");
        Assert.Equal(4, link.QueueDepth);
        Assert.Equal(4, _probe.Get("kevy.gateway.queue.depth"));
        Assert.Equal(7, _probe.Get("kevy.gateway.dropped", "HB"));

        await using var peer = new FramePeer(_port);

        Assert.Equal([ElectionMessage.Offer(5, "n1", 0), Hb(7), Hb(8), Hb(9)], await peer.WaitForFramesAsync(4, Patience));
        link.Enqueue(Hb(10));
        Assert.Equal(Hb(10), (await peer.WaitForFramesAsync(5, Patience))[4]);
        // Normally one connection; under load a connect can time out after the kernel accepted it.
        Assert.InRange(peer.Accepted, 1, 2);
        Assert.Equal(0, _probe.Get("kevy.gateway.queue.depth"));
        Assert.Equal(1, _log.Count(3101));
        Assert.Equal(1, _log.Count(3103));
    }

    [Fact]
    public async Task After_the_peer_closes_the_connection_frames_resume_on_a_new_one()
    {
        await using var peer = new FramePeer(_port);
        await using var link = Link();
        link.Enqueue(Hb(1));
        await peer.WaitForFramesAsync(1, Patience);

        peer.CloseConnections();
        await Until(() => peer.Accepted == 2 && link.IsConnected, "the link reconnected by itself");
        link.Enqueue(Hb(2));
        link.Enqueue(Hb(3));

        Assert.Equal([Hb(1), Hb(2), Hb(3)], await peer.WaitForFramesAsync(3, Patience));
        Assert.Equal(1, _probe.Get("kevy.gateway.connections", "out"));
        Assert.True(_probe.Get("kevy.gateway.reconnects") >= 1);
        Assert.Equal(1, _log.Count(3104));
    }

    [Fact]
    public async Task A_peer_that_goes_away_and_comes_back_on_the_same_port_gets_the_frames_queued_meanwhile()
    {
        await using var link = Link();
        var first = new FramePeer(_port);
        link.Enqueue(Hb(1));
        await first.WaitForFramesAsync(1, Patience);
        await first.DisposeAsync();
        await Until(() => !link.IsConnected, "the link noticed the peer left");

        link.Enqueue(Hb(2));
        link.Enqueue(ElectionMessage.Announce(4, "n1", "127.0.0.1:6379"));
        await Until(() => _probe.Get("kevy.gateway.reconnects") >= 3, "reconnects while the peer is gone");
        await using var second = new FramePeer(_port);

        Assert.Equal([Hb(2), ElectionMessage.Announce(4, "n1", "127.0.0.1:6379")], await second.WaitForFramesAsync(2, Patience));
    }

    [Fact]
    public async Task Refused_connects_are_retried_with_backoff_and_logged_once_not_per_attempt()
    {
        await using var link = Link(capacity: 2);
        link.Enqueue(Hb(1));

        await Until(() => _probe.Get("kevy.gateway.reconnects") >= 5, "five reconnect attempts");

        Assert.False(link.IsConnected);
        Assert.Equal(1, _log.Count(3101));
        Assert.Equal(0, _log.Count(3100));
        Assert.Equal(0, _probe.Get("kevy.gateway.connections", "out"));
        Assert.Contains("g/n1 -> k2 at 127.0.0.1:" + _port, _log.Lines.Single(l => l.EventId == 3101).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_drains_what_is_queued_to_a_peer_that_is_up()
    {
        var link = Link();
        for (ulong i = 0; i < 5; i++)
        {
            link.Enqueue(Hb(i));
        }
        await Until(() => _probe.Get("kevy.gateway.reconnects") >= 1, "a refused connect");
        await using var peer = new FramePeer(_port);

        var stopwatch = Stopwatch.StartNew();
        await link.StopAsync(Patience);

        Assert.True(stopwatch.Elapsed < Patience, "stop waited for the whole drain time although everything was delivered");
        Assert.Equal([Hb(0), Hb(1), Hb(2), Hb(3), Hb(4)], await peer.WaitForFramesAsync(5, Patience));
        Assert.Equal(0, _probe.Get("kevy.gateway.dropped"));
        Assert.Equal(0, _probe.Get("kevy.gateway.connections", "out"));
    }

    [Fact]
    public async Task Stopping_with_the_peer_down_gives_up_after_the_drain_time_and_counts_what_is_left()
    {
        var link = Link();
        link.Enqueue(Hb(1));
        link.Enqueue(ElectionMessage.Offer(2, "n1", 0));

        var stopwatch = Stopwatch.StartNew();
        await link.StopAsync(TimeSpan.FromMilliseconds(200));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(150), Patience);
        Assert.Equal(1, _probe.Get("kevy.gateway.dropped", "HB"));
        Assert.Equal(1, _probe.Get("kevy.gateway.dropped", "OFFER"));
        Assert.Equal(0, _probe.Get("kevy.gateway.queue.depth"));
        Assert.Equal(1, _log.Count(3105));

        link.Enqueue(Hb(2));
        Assert.Equal(2, _probe.Get("kevy.gateway.dropped", "HB"));
    }

    [Fact]
    public void Backoff_doubles_from_the_base_up_to_the_cap_plus_at_most_half_again()
    {
        var random = new Random(1);
        double[] floors = [100, 200, 400, 800, 1000, 1000];
        for (var failures = 1; failures <= floors.Length; failures++)
        {
            for (var i = 0; i < 50; i++)
            {
                var ms = OutboundLink.Backoff(failures, 100, 1000, random).TotalMilliseconds;
                Assert.InRange(ms, floors[failures - 1], floors[failures - 1] * 1.5);
            }
        }
        Assert.InRange(OutboundLink.Backoff(int.MaxValue, 100, 1000, random).TotalMilliseconds, 1000, 1500);
    }

    [Fact]
    public async Task A_message_that_cannot_be_encoded_is_refused_at_the_door_and_the_link_keeps_working()
    {
        await using var peer = new FramePeer(_port);
        await using var link = Link();

        Assert.Throws<ArgumentException>(() => link.Enqueue(default));
        link.Enqueue(Hb(1));

        Assert.Equal([Hb(1)], await peer.WaitForFramesAsync(1, Patience));
    }

    [Fact]
    public async Task A_host_name_is_resolved_and_every_address_tried()
    {
        await using var peer = new FramePeer(_port);
        await using var link = Link(host: "localhost");

        link.Enqueue(Hb(1));

        Assert.Equal([Hb(1)], await peer.WaitForFramesAsync(1, Patience));
    }
}
