using System.Globalization;
using System.Text.Json;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// Splits each sample at the witness's <c>VoteCast</c> log line (event 1002), which the member logs after
/// the durable write and just before it hands the ACCEPT to its outbox. Both clocks are this machine's
/// wall clock; the silo logs with microseconds (<see cref="BenchmarkSilo.TimestampFormat"/>).
/// </summary>
internal static class VoteLogSplit
{
    private const int ElectionEventId = 1002;

    public static (LatencySummary? ToVote, LatencySummary? AfterVote) Split(IReadOnlyList<VoteSample> samples, IReadOnlyList<string> siloLines)
    {
        var votes = VotesLogged(siloLines);
        var toVote = new List<double>();
        var afterVote = new List<double>();
        foreach (var s in samples)
        {
            if (votes.TryGetValue(s.Epoch, out var at))
            {
                var ms = (at - s.SentAtUtc).TotalMilliseconds;
                toVote.Add(ms);
                afterVote.Add(s.TotalMs - ms);
            }
        }
        return toVote.Count == 0 ? (null, null) : (LatencySummary.Of(toVote), LatencySummary.Of(afterVote));
    }

    /// <summary>epoch -> when the witness logged its vote for the candidate.</summary>
    private static Dictionary<ulong, DateTime> VotesLogged(IReadOnlyList<string> lines)
    {
        var votes = new Dictionary<ulong, DateTime>();
        var marker = $"{BenchmarkGroup.Name}/{BenchmarkGroup.Witness}: VoteCast epoch=";
        foreach (var line in lines)
        {
            if (!line.StartsWith('{') || !line.Contains(marker, StringComparison.Ordinal))
            {
                continue;
            }
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.GetProperty("EventId").GetInt32() != ElectionEventId)
            {
                continue;
            }
            var message = root.GetProperty("Message").GetString()!;
            var epochText = message[(message.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split(' ')[0];
            var at = DateTime.ParseExact(root.GetProperty("Timestamp").GetString()!, BenchmarkSilo.TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            votes[ulong.Parse(epochText, CultureInfo.InvariantCulture)] = at;
        }
        return votes;
    }
}
