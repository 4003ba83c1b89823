using KevyOrleans.Gateway.Outbound;
using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway.Tests.Outbound;

public sealed class OutboundQueueTests
{
    private readonly List<Verb> _dropped = [];
    private int _depth;

    private OutboundQueue Queue(int capacity) => new(capacity, v => _dropped.Add(v), d => _depth += d);

    private static ElectionMessage Hb(ulong offset) => ElectionMessage.Heartbeat(1, "n1", Role.Primary, offset);

    private static ElectionMessage Offer(ulong epoch) => ElectionMessage.Offer(epoch, "n1", 0);

    private static List<ElectionMessage> Drain(OutboundQueue queue)
    {
        var all = new List<ElectionMessage>();
        queue.DequeueBatch(all, int.MaxValue);
        return all;
    }

    [Fact]
    public void Frames_come_out_in_the_order_they_went_in_whatever_their_verb()
    {
        var queue = Queue(8);
        ElectionMessage[] frames = [Hb(1), Offer(2), Hb(3), ElectionMessage.Accept(2, "n1"), ElectionMessage.Announce(2, "n1", "h:1"), Hb(4)];
        foreach (var f in frames)
        {
            Assert.True(queue.Enqueue(f));
        }

        Assert.True(queue.TryDequeue(out var first));
        Assert.Equal(frames[0], first);
        Assert.Equal(frames[1..], Drain(queue));
        Assert.False(queue.TryDequeue(out _));
        Assert.Empty(_dropped);
        Assert.Equal(0, _depth);
    }

    [Fact]
    public void A_full_queue_evicts_the_oldest_heartbeat_first_even_behind_an_offer()
    {
        var queue = Queue(3);
        queue.Enqueue(Offer(1));
        queue.Enqueue(Hb(1));
        queue.Enqueue(Hb(2));

        Assert.True(queue.Enqueue(Hb(3)));
        Assert.True(queue.Enqueue(Offer(2)));

        Assert.Equal([Offer(1), Hb(3), Offer(2)], Drain(queue));
        Assert.Equal([Verb.Heartbeat, Verb.Heartbeat], _dropped);
    }

    [Fact]
    public void With_no_heartbeat_left_a_new_heartbeat_is_dropped_and_a_new_offer_replaces_the_oldest_other_frame()
    {
        var queue = Queue(2);
        queue.Enqueue(ElectionMessage.Accept(1, "n1"));
        queue.Enqueue(Offer(2));

        Assert.False(queue.Enqueue(Hb(9)));
        Assert.True(queue.Enqueue(Offer(3)));

        Assert.Equal([Offer(2), Offer(3)], Drain(queue));
        Assert.Equal([Verb.Heartbeat, Verb.Accept], _dropped);
    }

    [Fact]
    public void A_queue_full_of_heartbeats_keeps_the_latest_ones_and_never_exceeds_its_capacity()
    {
        var queue = Queue(4);
        var maxDepth = 0;
        for (ulong i = 0; i < 100; i++)
        {
            queue.Enqueue(Hb(i));
            maxDepth = Math.Max(maxDepth, _depth);
        }

        Assert.Equal(4, maxDepth);
        Assert.Equal(4, queue.Count);
        Assert.Equal(96, _dropped.Count(v => v == Verb.Heartbeat));
        Assert.Equal([Hb(96), Hb(97), Hb(98), Hb(99)], Drain(queue));
        Assert.Equal(0, _depth);
    }

    [Fact]
    public void Depth_reports_add_up_to_the_count()
    {
        var queue = Queue(3);
        queue.Enqueue(Hb(1));
        queue.Enqueue(Offer(1));
        Assert.Equal(2, _depth);
        queue.Enqueue(Hb(2));
        queue.Enqueue(Hb(3)); // evicts Hb(1): depth unchanged
        Assert.Equal(3, _depth);
        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(2, _depth);
        Assert.Equal(queue.Count, _depth);
    }

    [Fact]
    public void Put_back_frames_go_in_front_in_their_order_and_are_the_first_to_go_when_full()
    {
        var queue = Queue(3);
        queue.Enqueue(Hb(5));
        queue.Enqueue(Offer(5));

        queue.RequeueFront([Offer(1), Hb(2)]);

        // Full with Hb(2) (put back) older than Hb(5): Hb(2) is the oldest heartbeat, so it went.
        Assert.Equal([Offer(1), Hb(5), Offer(5)], Drain(queue));
        Assert.Equal([Verb.Heartbeat], _dropped);
    }

    [Fact]
    public void A_put_back_offer_is_dropped_only_when_nothing_but_offers_accepts_and_announces_is_queued()
    {
        var queue = Queue(1);
        queue.Enqueue(Offer(5));

        queue.RequeueFront([Offer(4)]);

        Assert.Equal([Offer(5)], Drain(queue));
        Assert.Equal([Verb.Offer], _dropped);
    }

    [Fact]
    public async Task A_waiting_reader_wakes_when_a_frame_is_queued()
    {
        var queue = Queue(4);
        var wait = queue.WaitAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);

        queue.Enqueue(Hb(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(queue.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_waiting_reader_honours_cancellation()
    {
        var queue = Queue(4);
        using var cts = new CancellationTokenSource();
        var wait = queue.WaitAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Releasing_waiters_wakes_a_waiting_reader_with_nothing_queued_and_every_later_wait_returns_at_once()
    {
        var queue = Queue(4);
        var wait = queue.WaitAsync(CancellationToken.None);

        queue.ReleaseWaiters();

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, queue.Count);
        Assert.True(queue.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }
}
