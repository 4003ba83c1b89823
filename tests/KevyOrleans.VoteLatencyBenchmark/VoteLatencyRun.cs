using System.Collections.Concurrent;
using System.Diagnostics;
using KevyOrleans.Protocol;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>One OFFER's way: sent by the harness (wall clock and stopwatch), its ACCEPT back (stopwatch).</summary>
internal sealed record VoteSample(ulong Epoch, DateTime SentAtUtc, double TotalMs);

/// <summary>The figures of one store: OFFER sent to ACCEPT received, split at the witness's vote log line.</summary>
/// <param name="ToVote">OFFER sent to the vote's log line: gateway inbound, grain call, elector, durable write.</param>
/// <param name="AfterVote">The vote's log line to ACCEPT received: outbox, outbound link, TCP.</param>
/// <param name="CommitMeanMs">The silo's own mean commit time over the measured votes (<c>kevy.storage.write_duration</c>).</param>
/// <param name="First">The very first OFFER (the first vote of the activation, on a new inbound connection), split the same way: not in <paramref name="Total"/>.</param>
internal sealed record VoteLatencyResult(string Store, LatencySummary Total, LatencySummary? ToVote, LatencySummary? AfterVote, double CommitMeanMs,
    (double TotalMs, double? ToVoteMs) First);

/// <summary>
/// n1 offers itself in epoch 1000, 1001, ... to the hosted witness w3, one OFFER at a time: each is a new
/// epoch, so each vote needs one durable write before its ACCEPT may leave. The first
/// <c>warmup</c> OFFERs (activation, connections, JIT) are not counted.
/// </summary>
internal static class VoteLatencyRun
{
    private static readonly TimeSpan AcceptBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(10); // each OFFER meets an idle witness, as in an election

    // After /healthz the silo is still busy starting up; the first OFFER should meet a settled silo.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    // Above any epoch a fresh witness starts at (it activates at epoch 1), so the first OFFER already wins a vote.
    private const ulong FirstEpoch = 1000;

    public static async Task<VoteLatencyResult> RunAsync(string store, BenchmarkSilo silo, BenchmarkGroup group, ExternalMember candidate, int warmup, int offers)
    {
        var pending = new ConcurrentDictionary<ulong, TaskCompletionSource<long>>();
        void OnFrame(ElectionMessage m, long at)
        {
            if (m.Verb == Verb.Accept && m.SenderId == BenchmarkGroup.Witness && pending.TryRemove(m.Epoch, out var waiting))
            {
                waiting.TrySetResult(at);
            }
        }
        candidate.FrameReceived += OnFrame;
        try
        {
            await Task.Delay(Settle).ConfigureAwait(false);
            using var socket = await ExternalMember.ConnectAsync(group.WitnessElectPort).ConfigureAwait(false);
            // A valid member frame first: it completes the gateway's handshake window.
            await ExternalMember.SendAsync(socket, FrameEncoder.Encode(ElectionMessage.Heartbeat(0, candidate.Id, Role.Replica, 0))).ConfigureAwait(false);
            var samples = new List<VoteSample>(offers);
            double commitSum = 0, commitCount = 0;
            VoteSample? first = null;
            var measuredFrom = FirstEpoch + (ulong)warmup;
            for (var epoch = FirstEpoch; epoch < measuredFrom + (ulong)offers; epoch++)
            {
                if (epoch == measuredFrom)
                {
                    commitSum = await silo.MetricAsync(SiloMetrics.CommitSum).ConfigureAwait(false);
                    commitCount = await silo.MetricAsync(SiloMetrics.CommitCount).ConfigureAwait(false);
                }
                await Task.Delay(Gap).ConfigureAwait(false);
                var accepted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending[epoch] = accepted;
                var frame = FrameEncoder.Encode(ElectionMessage.Offer(epoch, candidate.Id, 0));
                var sentAtUtc = DateTime.UtcNow;
                var sent = Stopwatch.GetTimestamp();
                await ExternalMember.SendAsync(socket, frame).ConfigureAwait(false);
                long received;
                try
                {
                    received = await accepted.Task.WaitAsync(AcceptBound).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"no ACCEPT for epoch {epoch} within {AcceptBound.TotalSeconds} s; silo output:\n{silo.Process.Tail()}");
                }
                var sample = new VoteSample(epoch, sentAtUtc, Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
                if (epoch >= measuredFrom)
                {
                    samples.Add(sample);
                }
                else if (epoch == FirstEpoch)
                {
                    first = sample;
                }
            }
            var commits = await silo.MetricAsync(SiloMetrics.CommitCount).ConfigureAwait(false) - commitCount;
            var commitMean = commits > 0 ? (await silo.MetricAsync(SiloMetrics.CommitSum).ConfigureAwait(false) - commitSum) / commits : double.NaN;
            var lines = silo.Process.Lines();
            var (toVote, afterVote) = VoteLogSplit.Split(samples, lines);
            var (firstToVote, _) = VoteLogSplit.Split([first!], lines);
            return new VoteLatencyResult(store, LatencySummary.Of([.. samples.Select(s => s.TotalMs)]), toVote, afterVote, commitMean,
                (first!.TotalMs, firstToVote?.P50));
        }
        finally
        {
            candidate.FrameReceived -= OnFrame;
        }
    }
}
