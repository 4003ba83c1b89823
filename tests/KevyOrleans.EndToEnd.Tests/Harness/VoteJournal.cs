using System.Text.Json;
using System.Text.RegularExpressions;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>One vote a member released: its own candidacy, or an ACCEPT it sent.</summary>
public sealed record ReleasedVote(string Voter, ulong Epoch, string Candidate, int SiloIncarnation);

/// <summary>
/// Reads the votes members released from the silo's structured console logs: event 1002 lines of
/// kinds <c>BecameCandidate</c> (a vote for itself) and <c>VoteCast</c> (an ACCEPT). A member logs
/// them only after the durable record committed.
/// </summary>
public static partial class VoteJournal
{
    public static IReadOnlyList<ReleasedVote> Read(IReadOnlyList<SiloProcess> silos)
    {
        var votes = new List<ReleasedVote>();
        for (var i = 0; i < silos.Count; i++)
        {
            foreach (var line in silos[i].Lines())
            {
                if (Parse(line, i) is { } vote)
                {
                    votes.Add(vote);
                }
            }
        }
        return votes;
    }

    private static ReleasedVote? Parse(string line, int incarnation)
    {
        if (!line.StartsWith('{') || !line.Contains("\"EventId\":1002,", StringComparison.Ordinal))
        {
            return null;
        }
        using var doc = JsonDocument.Parse(line);
        var state = doc.RootElement.GetProperty("State");
        var member = state.GetProperty("Member").GetString()!;
        var e = state.GetProperty("Event").GetString()!;
        var m = EventPattern().Match(e);
        if (!m.Success)
        {
            return null;
        }
        var epoch = ulong.Parse(m.Groups["epoch"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return m.Groups["kind"].Value == "BecameCandidate"
            ? new ReleasedVote(member, epoch, member, incarnation)
            : new ReleasedVote(member, epoch, m.Groups["member"].Value, incarnation);
    }

    [GeneratedRegex(@"^(?<kind>BecameCandidate|VoteCast) epoch=(?<epoch>\d+) member=(?<member>\S+)")]
    private static partial Regex EventPattern();
}
