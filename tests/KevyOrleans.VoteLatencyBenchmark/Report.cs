namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>What the harness prints.</summary>
internal static class Report
{
    public const int FloodFrameLimit = 100_000_000;

    public static void Votes(VoteLatencyResult r)
    {
        Console.WriteLine($"votes, {r.Store}: OFFER sent -> ACCEPT received: {r.Total}");
        if (r.ToVote is { } toVote && r.AfterVote is { } afterVote)
        {
            Console.WriteLine($"  OFFER sent -> vote logged (inbound, grain call, commit): {toVote}");
            Console.WriteLine($"  vote logged -> ACCEPT received (outbox, link, TCP):    {afterVote}");
        }
        var firstSplit = r.First.ToVoteMs is { } v ? $" ({v:0.00} ms of it to the vote's log line)" : "";
        Console.WriteLine($"  the first OFFER (first vote of the activation, new connection; not counted above): {r.First.TotalMs:0.00} ms{firstSplit}");
        Console.WriteLine($"  commit, the silo's own mean (kevy.storage.write_duration): {r.CommitMeanMs:0.00} ms");
    }

    public static void Flood(FloodResult r)
    {
        Console.WriteLine($"flood: {r.Connections} connections (n1 and n2), {r.SendSeconds:0.0} s, MaxFramesPerSecond = FrameBurst = {FloodFrameLimit}");
        Console.WriteLine($"  frames written {r.Sent}, delivered by the gateway {r.Delivered:0}, rejected {r.Rejected:0}");
        Console.WriteLine($"  gateway: {r.DeliveredPerSecond:0} frames/s decoded and handed to the witness grain");
        Console.WriteLine($"  grain caught up after {r.CaughtUpSeconds:0.0} s: {r.ProcessedPerSecond:0} frames/s taken by the grain ({r.DeliveredAfterDrain:0} frames)");
    }
}
