using System.Text;
using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway.Tests.Wire;

/// <summary>Hosted members and external kevy members (played with raw bytes) in one election.</summary>
public sealed class ElectionOverTheWireTests(MixedGroupFixture fixture) : IClassFixture<MixedGroupFixture>
{
    private GatewaySilo Silo => fixture.Silo;

    [Fact]
    public async Task Hosted_members_vote_once_per_epoch_for_an_external_candidate_and_adopt_external_primaries()
    {
        var e1 = fixture.Peer("vote", "e1");
        var e2 = fixture.Peer("vote", "e2");
        int Port(string id) => Silo.Member("vote", id).ElectPort;
        // Heartbeats of the hosted members arrive at the external ports at about hb_interval.
        await WaitFor(() => e1.Frames("HB", "h3").Any() && e1.Frames("HB", "w4").Any(), "heartbeats at e1");
        // Measured over one-second windows: a window with a starved thread pool (the whole suite starts at
        // once on two cores) may fall short, so up to ten windows are tried; too many is never excused.
        var rates = new List<string>();
        var steady = false;
        for (var window = 0; window < 10 && !steady; window++)
        {
            var from = e1.Frames("HB", "h3").Count();
            var grainFrom = KevyOrleans.Testing.FrameJournal.ForGroup(Silo.Group("vote")).Count(f => f.Message.SenderId == "h3");
            var outFrom = Silo.Counters.Get("kevy.gateway.frames.out", "HB");
            await Task.Delay(1000);
            var grainRate = KevyOrleans.Testing.FrameJournal.ForGroup(Silo.Group("vote")).Count(f => f.Message.SenderId == "h3") - grainFrom;
            var outRate = Silo.Counters.Get("kevy.gateway.frames.out", "HB") - outFrom;
            var perSecond = e1.Frames("HB", "h3").Count() - from;
            Assert.True(perSecond <= 20, $"{perSecond} heartbeats of h3 in a second at e1 (10 expected at 100 ms)");
            steady = perSecond >= 5;
            rates.Add($"{perSecond}/s at e1 (grain {grainRate}/s, links {outRate} HB/s)");
        }
        Assert.True(steady, $"heartbeats of h3 never reached 5 a second (10 expected at 100 ms): {string.Join("; ", rates)}; {Diagnose()}; e1 received {e1.Received.Count} frames");
        Assert.All(e1.Frames("HB", "w4"), hb => Assert.Equal("0", hb[4])); // a witness reports offset 0

        // An OFFER gets exactly one ACCEPT from each hosted voter, on the candidate's own port, byte for byte.
        await e1.SendAsync(Port("h3"), RawFrames.Offer(2, "e1", 100));
        await e1.SendAsync(Port("w4"), RawFrames.Offer(2, "e1", 100));
        await WaitFor(() => e1.Frames("ACCEPT").Count() == 2, $"two accepts; {Diagnose()}");
        Assert.Contains(e1.Received, r => Encoding.ASCII.GetString(r.Raw) == "*3\r\n$6\r\nACCEPT\r\n$1\r\n2\r\n$2\r\nh3\r\n");
        Assert.Contains(e1.Received, r => Encoding.ASCII.GetString(r.Raw) == "*3\r\n$6\r\nACCEPT\r\n$1\r\n2\r\n$2\r\nw4\r\n");

        // Duplicate, stale and same-epoch offers get nothing.
        await e1.SendAsync(Port("h3"), RawFrames.Offer(2, "e1", 100));
        await e2.SendAsync(Port("h3"), RawFrames.Offer(2, "e2", 500));
        await e2.SendAsync(Port("h3"), RawFrames.Offer(1, "e2", 500));
        await Task.Delay(500);
        Assert.Equal(2, e1.Frames("ACCEPT").Count());
        Assert.Empty(e2.Frames("ACCEPT"));

        // The vote is durable: after a silo restart the same epoch still gets no second vote.
        await Silo.RestartAsync();
        var beforeRestart = e2.Frames("HB", "h3").Count();
        await WaitFor(() => e2.Frames("HB", "h3").Count() > beforeRestart + 3, "h3 heartbeating again after the restart");
        await e2.SendAsync(Port("h3"), RawFrames.Offer(2, "e2", 500));
        await Task.Delay(500);
        Assert.Empty(e2.Frames("ACCEPT"));

        // An ANNOUNCE is adopted, then a primary heartbeat of a higher epoch.
        await e1.SendAsync(Port("h3"), RawFrames.Announce(2, "e1", "127.0.0.1:6001"));
        await WaitForAsync(async () => (await Silo.Snapshot("vote", "h3")).KnownPrimary == "e1", "e1 adopted from its ANNOUNCE");
        Assert.Equal("e1", (await Silo.Status("vote")).Primary);
        await e2.SendAsync(Port("h3"), RawFrames.Hb(5, "e2", "primary", 100));
        await WaitForAsync(async () => (await Silo.Snapshot("vote", "h3")) is { KnownPrimary: "e2", Epoch: 5 }, "e2 adopted from its heartbeat");
        var status = await Silo.Status("vote");
        Assert.Equal(("e2", 5UL), (status.Primary, status.Epoch));

        // A witness never sends OFFER; nor does h3, which is never the best candidate here.
        Assert.Empty(e1.Frames("OFFER").Concat(e2.Frames("OFFER")));
    }

    [Fact]
    public async Task A_hosted_member_takes_over_from_a_silent_external_primary_and_announces_it_byte_for_byte()
    {
        var e1 = fixture.Peer("mixed", "e1");
        var e2 = fixture.Peer("mixed", "e2");
        await WaitForAsync(async () => (await Silo.Snapshot("mixed", "h3")).KnownPrimary == "e1"
            && (await Silo.Snapshot("mixed", "h4")).KnownPrimary == "e1", "the hosted members follow e1");

        await fixture.Beat("mixed", "e1").StopAsync(); // the external primary falls silent
        // Usually epoch 3; a first candidacy that a busy machine lets time out wins the next epoch instead.
        string Announce(string epoch) =>
            $"*4\r\n$8\r\nANNOUNCE\r\n${epoch.Length}\r\n{epoch}\r\n$2\r\nh3\r\n$15\r\n127.0.0.1:{Silo.Member("mixed", "h3").ClientPort}\r\n";
        bool AnnouncedAtBoth() => e1.Received.Where(r => r.Elements[0] == "ANNOUNCE" && r.Elements[2] == "h3").Select(r => r.Elements[1])
            .Any(epoch => ulong.Parse(epoch, System.Globalization.CultureInfo.InvariantCulture) >= 3
                && e1.Received.Any(r => Encoding.ASCII.GetString(r.Raw) == Announce(epoch))
                && e2.Received.Any(r => Encoding.ASCII.GetString(r.Raw) == Announce(epoch)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!AnnouncedAtBoth())
        {
            if (DateTime.UtcNow > deadline)
            {
                string Describe(KevyOrleans.Abstractions.MemberSnapshot m) =>
                    $"{m.Member} {m.Role} epoch {m.Epoch} vote {m.VoteEpoch}:{m.VotedFor} knows {m.KnownPrimary} healthy {m.DataNodeHealthy} peers [{string.Join(", ", m.Peers.Select(p => $"{p.Id} {p.Role} e{p.Epoch} o{p.Offset} up={p.IsUp} {p.SinceLastSeenMs:0}ms"))}]";
                Assert.Fail($"no ANNOUNCE of h3 at both external ports. {Describe(await Silo.Snapshot("mixed", "h3"))}; {Describe(await Silo.Snapshot("mixed", "h4"))}; " +
                    $"e1 got {string.Join(" | ", e1.Received.Where(r => r.Elements[0] != "HB").Select(r => string.Join(' ', r.Elements)))}; " +
                    $"e2 got {string.Join(" | ", e2.Received.Where(r => r.Elements[0] != "HB").Select(r => string.Join(' ', r.Elements)))}");
            }
            await Task.Delay(20);
        }
        var h3 = await Silo.Snapshot("mixed", "h3");
        Assert.Equal(Role.Primary, h3.Role);
        Assert.Equal("h3", (await Silo.Snapshot("mixed", "h4")).KnownPrimary);
    }

    private string Diagnose() =>
        $"out OFFER={Silo.Counters.Get("kevy.gateway.frames.out", "OFFER")} ACCEPT={Silo.Counters.Get("kevy.gateway.frames.out", "ACCEPT")} HB={Silo.Counters.Get("kevy.gateway.frames.out", "HB")}; " +
        $"dropped={Silo.Counters.Get("kevy.gateway.dropped")} frames.dropped={Silo.Counters.Get("kevy.frames.dropped")} rejected={Silo.Counters.Get("kevy.gateway.rejected")}; " +
        $"delivered to grains: {string.Join(" | ", KevyOrleans.Testing.FrameJournal.ForGroup(Silo.Group("vote")).Where(f => f.Message.Verb != Verb.Heartbeat).Select(f => $"{f.To} <- {f.Message}"))}";

    private static Task WaitFor(Func<bool> condition, string what, TimeSpan? within = null) =>
        WaitForAsync(() => Task.FromResult(condition()), what, within);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not met: {what}");
            await Task.Delay(20);
        }
    }
}
