using System.Buffers;
using System.Diagnostics;
using KevyOrleans.Protocol;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>The flood's figures: frames written, what the gateway handed to the grain, and how long the grain took to catch up.</summary>
/// <param name="Sent">Frames the harness wrote.</param>
/// <param name="Delivered">The gateway's <c>kevy.gateway.frames.in</c> over the send window: decoded, checked and handed to the witness grain.</param>
/// <param name="DeliveredAfterDrain">The same counter once the grain answered a status call queued behind the flood.</param>
/// <param name="Rejected">Frames the gateway refused meanwhile (<c>kevy.gateway.rejected</c>, e.g. rate-limited).</param>
/// <param name="SendSeconds">The send window.</param>
/// <param name="CaughtUpSeconds">From the first frame sent until that status call returned.</param>
internal sealed record FloodResult(long Sent, double Delivered, double DeliveredAfterDrain, double Rejected, double SendSeconds, double CaughtUpSeconds, int Connections)
{
    public double DeliveredPerSecond => Delivered / SendSeconds;

    public double ProcessedPerSecond => DeliveredAfterDrain / CaughtUpSeconds;
}

/// <summary>
/// n1 and n2 write heartbeats to the witness's elect port as fast as TCP takes them, over
/// <c>connections</c> connections each, for a fixed time. Replica heartbeats at epoch 0 change nothing
/// durable, so this measures decode, admission and delivery to the grain, not storage.
/// </summary>
internal static class HeartbeatFlood
{
    private const int FramesPerWrite = 256;

    public static async Task<FloodResult> RunAsync(BenchmarkSilo silo, BenchmarkGroup group, TimeSpan duration, int connections)
    {
        var senders = new List<(System.Net.Sockets.Socket Socket, byte[] Burst)>();
        try
        {
            foreach (var id in new[] { BenchmarkGroup.Candidate, BenchmarkGroup.OtherExternal })
            {
                var burst = Burst(id);
                for (var i = 0; i < connections; i++)
                {
                    var socket = await ExternalMember.ConnectAsync(group.WitnessElectPort).ConfigureAwait(false);
                    senders.Add((socket, burst));
                }
            }
            var deliveredBefore = await silo.MetricAsync(SiloMetrics.FramesIn, "verb=\"HB\"").ConfigureAwait(false);
            var rejectedBefore = await silo.MetricAsync(SiloMetrics.Rejected).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var writes = await Task.WhenAll(senders.Select(s => SendUntilAsync(s.Socket, s.Burst, clock, duration))).ConfigureAwait(false);
            var sendSeconds = clock.Elapsed.TotalSeconds;
            var delivered = await silo.MetricAsync(SiloMetrics.FramesIn, "verb=\"HB\"").ConfigureAwait(false) - deliveredBefore;
            await silo.GetGroupAsync().ConfigureAwait(false);
            var caughtUp = clock.Elapsed.TotalSeconds;
            var afterDrain = await silo.MetricAsync(SiloMetrics.FramesIn, "verb=\"HB\"").ConfigureAwait(false) - deliveredBefore;
            var rejected = await silo.MetricAsync(SiloMetrics.Rejected).ConfigureAwait(false) - rejectedBefore;
            return new FloodResult(writes.Sum() * FramesPerWrite, delivered, afterDrain, rejected, sendSeconds, caughtUp, senders.Count);
        }
        finally
        {
            foreach (var (socket, _) in senders)
            {
                socket.Dispose();
            }
        }
    }

    private static byte[] Burst(string id)
    {
        var writer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < FramesPerWrite; i++)
        {
            FrameEncoder.Write(writer, ElectionMessage.Heartbeat(0, id, Role.Replica, (ulong)i));
        }
        return writer.WrittenSpan.ToArray();
    }

    private static async Task<long> SendUntilAsync(System.Net.Sockets.Socket socket, byte[] burst, Stopwatch clock, TimeSpan duration)
    {
        long writes = 0;
        while (clock.Elapsed < duration)
        {
            await ExternalMember.SendAsync(socket, burst).ConfigureAwait(false);
            writes++;
        }
        return writes;
    }
}
