using System.Diagnostics;
using System.Net.Sockets;
using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Trust;

/// <summary>
/// Rules 9 and 12 at the gateway, over real TCP on loopback: what a frame must be and where it must come
/// from to reach a hosted member, and that strangers cannot exhaust a listener or flood a grain. Runs
/// once with the source-address check on (the default) and once with it off (behind NAT).
/// </summary>
public abstract class TrustTests(TrustSiloFixture fixture)
{
    protected TrustSiloFixture Fixture => fixture;

    protected GatewaySilo Silo => fixture.Silo;

    protected long Rejected(string reason) => Silo.Counters.Get("kevy.gateway.rejected", reason);

    protected IEnumerable<(string To, ElectionMessage Message, DateTime At)> DeliveredTo(string member) =>
        FrameJournal.ForGroup(Silo.Group("trust")).Where(f => f.To == $"{Silo.Group("trust")}/{member}");

    [Fact]
    public async Task A_frame_with_an_epoch_at_or_above_2_63_is_dropped_on_a_connection_that_stays_open_and_the_witness_still_votes()
    {
        var before = Rejected("epoch-out-of-range");
        var epoch = (await Silo.Snapshot("trust", "w4")).Epoch;
        using var socket = await WireClient.ConnectAsync(fixture.Port("w4"));
        await socket.SendAsync(RawFrames.Hb(ulong.MaxValue, "e1", "primary", 0));
        await socket.SendAsync(RawFrames.Offer(Epochs.Ceiling, "e1", 1_000_000));

        // The connection stays open: a well-formed frame of a member on it still gets through.
        await socket.SendAsync(RawFrames.Hb(1, "e1", "replica", 4711));
        await WaitFor(() => DeliveredTo("w4").Any(f => f.Message.ReplOffset == 4711), "a valid frame after the dropped ones delivered");
        await Task.Delay(300);
        Assert.DoesNotContain(DeliveredTo("w4"), f => !Epochs.IsValid(f.Message.Epoch));
        Assert.Equal(epoch, (await Silo.Snapshot("trust", "w4")).Epoch);
        await WaitFor(() => Rejected("epoch-out-of-range") >= before + 2, "both frames counted as epoch-out-of-range");
        await AssertVotesAsync("w4");
    }

    [Fact]
    public async Task Frames_claiming_a_hosted_member_never_come_from_tcp()
    {
        var before = Rejected("hosted-member");
        using var socket = await WireClient.ConnectAsync(fixture.Port("w4"));
        await socket.SendAsync(RawFrames.Hb(50, "h3", "primary", 0));
        await socket.SendAsync(RawFrames.Offer(50, "h3", 1_000_000));
        await socket.SendAsync(RawFrames.Announce(50, "h3", "127.0.0.1:1"));
        await Task.Delay(500);
        Assert.DoesNotContain(DeliveredTo("w4"), f => f.Message.Epoch == 50);
        Assert.True((await Silo.Snapshot("trust", "w4")).Epoch < 50, "a forged frame of h3 moved the witness's epoch");
        await WaitFor(() => Rejected("hosted-member") >= before + 3, "three forged frames counted as hosted-member");
    }

    [Fact]
    public async Task Two_hundred_stranger_connections_from_another_address_do_not_starve_a_member()
    {
        var before = StrangerRefusals();
        var strangers = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    var s = await WireClient.ConnectAsync(fixture.Port("w4"), WireClient.Stranger);
                    strangers.Add(s);
                    await WireClient.TrySendAsync(s, "*"u8.ToArray()); // a frame that never completes
                }
                catch (SocketException)
                {
                    // the backlog overflowed: refused as well
                }
            }
            // A member that connects afresh (a restarted kevy server) still gets its OFFER answered,
            // and the hosted members' heartbeats keep flowing to the externals.
            var heartbeats = fixture.E1.Frames("HB", "h3").Count();
            await AssertVotesAsync("w4");
            await WaitFor(() => fixture.E1.Frames("HB", "h3").Count() >= heartbeats + 5, "h3 heartbeats keep reaching e1");
            await WaitFor(() => StrangerRefusals() - before >= 200 - TrustSiloFixture.PerSource, $"stranger connections refused ({StrangerRefusalReason})");
        }
        finally
        {
            strangers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_flood_from_a_member_id_at_100_times_its_rate_is_bounded_per_connection()
    {
        var dropped = Rejected("rate-limited");
        using var socket = await WireClient.ConnectAsync(fixture.Port("w4"));
        var clock = Stopwatch.StartNew();
        // A member heartbeats 10 times a second here; this is 1000 a second for 2 s.
        const int Base = 700_000;
        for (var batch = 0; batch < 20; batch++)
        {
            var frames = Enumerable.Range(0, 100).SelectMany(i => RawFrames.Hb(1, "e2", "replica", (ulong)(Base + (batch * 100) + i))).ToArray();
            await socket.SendAsync(frames);
            await Task.Delay(100);
        }
        await Task.Delay(500);
        var delivered = DeliveredTo("w4").Count(f => f.Message.ReplOffset is >= Base and < Base + 2000);
        var bound = TrustSiloFixture.FrameBurst + (TrustSiloFixture.FramesPerSecond * clock.Elapsed.TotalSeconds);
        Assert.True(delivered >= 1, "no frame of the flood got through at all");
        Assert.True(delivered <= bound, $"{delivered} of 2000 flood frames reached the grain; the bound is {bound:0}");
        Assert.True(Rejected("rate-limited") - dropped >= 2000 - delivered, "the excess was not counted as rate-limited");
    }

    [Fact]
    public async Task A_connection_without_a_valid_member_frame_within_the_handshake_window_is_closed()
    {
        var before = Rejected("handshake-timeout");
        using var silent = await WireClient.ConnectAsync(fixture.Port("h3"));
        using var chatty = await WireClient.ConnectAsync(fixture.Port("h3"));
        using var stop = new CancellationTokenSource();
        // Frames that are dropped (a stranger's id) do not count as a handshake, however often they come.
        var chatter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await WireClient.TrySendAsync(chatty, RawFrames.Offer(1, "intruder", 0)))
            {
                await Task.Delay(100);
            }
        });
        // Well inside the idle timeout (3 x down_after = 3 s) and generous over the 1 s window.
        var patience = TimeSpan.FromMilliseconds(2.5 * GatewaySilo.DownAfterMs);
        Assert.True(await WireClient.ClosedWithinAsync(silent, patience), "a silent connection stayed open past the handshake window");
        Assert.True(await WireClient.ClosedWithinAsync(chatty, patience), "a connection sending only strangers' frames stayed open");
        await stop.CancelAsync();
        await chatter;
        await WaitFor(() => Rejected("handshake-timeout") >= before + 2, "both counted as handshake-timeout");
    }

    protected abstract string StrangerRefusalReason { get; }

    protected long StrangerRefusals() => Rejected(StrangerRefusalReason);

    /// <summary>A fresh connection from a member's address: its OFFER for the next epoch gets the hosted member's ACCEPT.</summary>
    protected async Task AssertVotesAsync(string voter)
    {
        var snapshot = await Silo.Snapshot("trust", voter);
        var epoch = Math.Max(snapshot.Epoch, snapshot.VoteEpoch ?? 0) + 1;
        using var socket = await WireClient.ConnectAsync(fixture.Port(voter));
        await socket.SendAsync(RawFrames.Offer(epoch, "e1", 1_000_000));
        await WaitFor(() => fixture.E1.Frames("ACCEPT", voter).Any(f => f[1] == $"{epoch}"), $"{voter}'s ACCEPT of epoch {epoch} at e1");
    }

    protected static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not met: {what}");
            await Task.Delay(20);
        }
    }
}

/// <summary>The default: strangers are refused at accept for their address.</summary>
public sealed class SourceCheckedTrustTests(SourceCheckedSiloFixture fixture) : TrustTests(fixture), IClassFixture<SourceCheckedSiloFixture>
{
    protected override string StrangerRefusalReason => "source-address";

    [Fact]
    public async Task A_members_frame_from_an_address_of_another_host_is_refused()
    {
        var before = Rejected("source-address");
        using var socket = await WireClient.ConnectAsync(Fixture.Port("w4"), WireClient.Stranger);
        await WireClient.TrySendAsync(socket, RawFrames.Hb(1, "e1", "replica", 4712));
        Assert.True(await WireClient.ClosedWithinAsync(socket, TimeSpan.FromSeconds(5)), "a connection from an address of no member stayed open");
        await WaitFor(() => Rejected("source-address") > before, "counted as source-address");
        await Task.Delay(300);
        Assert.DoesNotContain(DeliveredTo("w4"), f => f.Message.ReplOffset == 4712);
    }

    [Fact]
    public async Task Each_member_speaks_only_from_its_own_host()
    {
        var before = Rejected("source-address");
        // From e1's address, a frame in e5's name is dropped; the connection stays, and e1's own frame passes.
        using var fromE1 = await WireClient.ConnectAsync(Fixture.Port("w4"));
        await fromE1.SendAsync(RawFrames.Hb(1, "e5", "replica", 4721));
        await fromE1.SendAsync(RawFrames.Hb(1, "e1", "replica", 4722));
        // From e5's address, e5's frame passes and one in e1's name is dropped.
        using var fromE5 = await WireClient.ConnectAsync(Fixture.Port("w4"), System.Net.IPAddress.Parse(TrustSiloFixture.OtherHost));
        await fromE5.SendAsync(RawFrames.Hb(1, "e5", "replica", 4723));
        await fromE5.SendAsync(RawFrames.Hb(1, "e1", "replica", 4724));
        await WaitFor(() => DeliveredTo("w4").Any(f => f.Message.ReplOffset == 4722) && DeliveredTo("w4").Any(f => f.Message.ReplOffset == 4723),
            "each member's frame from its own host delivered");
        await Task.Delay(300);
        Assert.DoesNotContain(DeliveredTo("w4"), f => f.Message.ReplOffset is 4721 or 4724);
        await WaitFor(() => Rejected("source-address") >= before + 2, "both counted as source-address");
    }

    [Fact]
    public async Task The_accept_loop_survives_an_exception_from_a_new_connection()
    {
        var listener = Silo.Services.GetService(typeof(GatewayService)) is GatewayService gateway
            ? gateway.Listeners.Single(l => l.Member == "w4")
            : throw new InvalidOperationException("no gateway service");
        var failed = Rejected("accept-failed");
        listener.AcceptedHook = _ => throw new InvalidOperationException("injected by the test");
        try
        {
            using var doomed = await WireClient.ConnectAsync(Fixture.Port("w4"));
            Assert.True(await WireClient.ClosedWithinAsync(doomed, TimeSpan.FromSeconds(5)), "the connection whose setup failed stayed open");
            await WaitFor(() => Rejected("accept-failed") > failed, "counted as accept-failed");
        }
        finally
        {
            listener.AcceptedHook = null;
        }
        // Connections reset before their first read, too.
        for (var i = 0; i < 20; i++)
        {
            var reset = await WireClient.ConnectAsync(Fixture.Port("w4"));
            reset.LingerState = new LingerOption(true, 0);
            reset.Dispose();
        }
        // Until the reset ones are reaped they hold slots of 127.0.0.1 (the per-source cap): retry as kevy would.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!DeliveredTo("w4").Any(f => f.Message.ReplOffset == 4713))
        {
            Assert.True(DateTime.UtcNow < deadline, "no frame on a later connection was delivered: the listener stopped accepting");
            using var socket = await WireClient.ConnectAsync(Fixture.Port("w4"));
            await WireClient.TrySendAsync(socket, RawFrames.Hb(1, "e1", "replica", 4713));
            await Task.Delay(300);
        }
    }
}

/// <summary><c>RequireSourceAddress = false</c>: strangers get the per-source cap and no more.</summary>
public sealed class UncheckedSourceTrustTests(UncheckedSourceSiloFixture fixture) : TrustTests(fixture), IClassFixture<UncheckedSourceSiloFixture>
{
    protected override string StrangerRefusalReason => "too-many-from-source";
}
