using System.Diagnostics;
using System.Globalization;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>What one kill of the primary cost: time to the successor's first write, and acknowledged writes it lacks.</summary>
internal sealed record TrialResult(double? KillToWritableMs, int Acknowledged, int Lost, string Note);

/// <summary>
/// One trial: wait until the group is stable, write with WAIT 1 to its primary, SIGKILL the primary's redis-server by
/// its pid, poll the survivors with raw <c>SET</c> every ~5 ms until one answers <c>+OK</c>, count the acknowledged
/// writes missing there, and start the killed server again (empty) so the failover system makes it a replica.
/// </summary>
internal static class Trial
{
    private static readonly TimeSpan StableWithin = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan WritingBeforeKill = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(250);

    public static async Task<TrialResult> RunAsync(IFailoverGroup group, int trial, CancellationToken cancel)
    {
        var primary = await WaitUntilStableAsync(group, cancel).ConfigureAwait(false);
        var survivors = group.DataNodes.Where(n => n != primary).Select(n => new NodeConnection(n.Port)).ToList();
        try
        {
            var writer = AcknowledgedWriter.Start(primary.Port, string.Create(CultureInfo.InvariantCulture, $"trial{trial}"));
            IReadOnlyList<string> acknowledged;
            Stopwatch killed;
            try
            {
                await Task.Delay(WritingBeforeKill, cancel).ConfigureAwait(false);
                foreach (var s in survivors)
                {
                    _ = await s.TryCallAsync(ProbeTimeout, "PING").ConfigureAwait(false); // connected before the kill
                }
                killed = Stopwatch.StartNew();
                await primary.KillAsync().ConfigureAwait(false); // SIGKILL by its own pid
            }
            finally
            {
                acknowledged = await writer.StopAsync().ConfigureAwait(false);
                await writer.DisposeAsync().ConfigureAwait(false);
            }
            var within = TimeSpan.FromMilliseconds((4 * group.DownAfterMs) + 30_000);
            var (successor, tookMs, promotedMs) = await FirstWritableAsync(survivors, killed, within, cancel).ConfigureAwait(false);
            if (successor is null)
            {
                return new TrialResult(null, acknowledged.Count, 0, $"no survivor took a write within {within.TotalSeconds:0} s");
            }
            var lost = await MissingAsync(successor, acknowledged).ConfigureAwait(false);
            return new TrialResult(tookMs, acknowledged.Count, lost, string.Create(CultureInfo.InvariantCulture,
                $"port {primary.Port} killed, port {successor.Port} took the first write; first reply other than -READONLY at {promotedMs:0} ms"));
        }
        finally
        {
            foreach (var s in survivors)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
            if (!primary.IsRunning)
            {
                await primary.StartAgainAsync().ConfigureAwait(false); // empty, as after a crash without persistence
            }
        }
    }

    private static async Task<RedisServer> WaitUntilStableAsync(IFailoverGroup group, CancellationToken cancel)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StableWithin)
        {
            if (await group.TryStablePrimaryAsync().ConfigureAwait(false) is { } primary)
            {
                return primary;
            }
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }
        throw new TimeoutException($"{group.SystemName}: the group was not stable (one primary, both replicas linked) within {StableWithin.TotalSeconds} s:\n{group.Tail()}");
    }

    /// <summary>
    /// Each round sends one <c>SET</c> to every survivor at once; the first <c>+OK</c> (not -READONLY, -NOREPLICAS, ...)
    /// ends it. Also when the first reply other than -READONLY came: the promotion, before the node takes writes.
    /// </summary>
    private static async Task<(NodeConnection? Node, double Ms, double? PromotedMs)> FirstWritableAsync(
        IReadOnlyList<NodeConnection> survivors, Stopwatch killed, TimeSpan within, CancellationToken cancel)
    {
        double? promoted = null;
        while (killed.Elapsed < within)
        {
            var replies = await Task.WhenAll(survivors.Select(async s =>
            {
                var reply = await s.TryCallAsync(ProbeTimeout, "SET", "bench:probe", "x").ConfigureAwait(false);
                return (Node: s, Reply: reply, Ms: killed.Elapsed.TotalMilliseconds);
            })).ConfigureAwait(false);
            promoted ??= replies.Where(r => r.Reply is not null && !(r.Reply.Kind == RespKind.Error && r.Reply.Text!.StartsWith("READONLY", StringComparison.Ordinal)))
                .Select(r => (double?)r.Ms).Min();
            if (replies.Where(r => r.Reply is { Kind: RespKind.SimpleString, Text: "OK" }).OrderBy(r => r.Ms).FirstOrDefault() is { Node: { } first, Ms: var ms })
            {
                return (first, ms, promoted);
            }
            await Task.Delay(5, cancel).ConfigureAwait(false);
        }
        return (null, 0, promoted);
    }

    /// <summary>
    /// How many of <paramref name="keys"/> the node does not hold (MGET in batches). A batch is asked again: right
    /// after a promotion the failover system may close client connections (CLIENT KILL), ours included.
    /// </summary>
    private static async Task<int> MissingAsync(NodeConnection node, IReadOnlyList<string> keys)
    {
        var missing = 0;
        foreach (var batch in keys.Chunk(500))
        {
            RespValue? reply = null;
            for (var attempt = 0; attempt < 20 && reply?.Items is null; attempt++)
            {
                reply = await node.TryCallAsync(TimeSpan.FromSeconds(5), ["MGET", .. batch]).ConfigureAwait(false);
                if (reply?.Items is null)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }
            }
            if (reply?.Items is not { } values)
            {
                throw new InvalidOperationException($"MGET on port {node.Port} answered {reply?.ToString() ?? "nothing"}, 20 times");
            }
            missing += values.Count(v => v.Kind == RespKind.Null);
        }
        return missing;
    }
}
