namespace KevyOrleans.Protocol;

/// <summary>
/// A replication group as the election sees it: its members and which of them are witnesses
/// (voters with no data). Construction runs the group checks of PROTOCOL.md and throws
/// <see cref="ElectionGroupException"/> with a clear message when one fails; survivable oddities
/// (N=2, N=1) are reported in <see cref="Warnings"/>.
/// </summary>
public sealed class ElectionGroup
{
    private readonly HashSet<string> _witnesses;

    /// <summary>Checks and builds the group; throws <see cref="ElectionGroupException"/> when a witness is unknown, every member is a witness, or a witness id sorts before a data node's id.</summary>
    /// <param name="members">Every member of the group, witnesses included.</param>
    /// <param name="witnesses">Ids of the members that vote but hold no data; none when null.</param>
    public ElectionGroup(MemberList members, IEnumerable<string>? witnesses = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        Members = members;
        _witnesses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in witnesses ?? [])
        {
            if (!members.Contains(w))
            {
                throw new ElectionGroupException($"witness '{w}' is not in the member list '{members}'");
            }
            _witnesses.Add(w);
        }
        if (_witnesses.Count == members.Count)
        {
            throw new ElectionGroupException("every member is a witness; a group needs at least one data node");
        }
        // A witness reports offset 0 and the best-candidate rule breaks ties by lowest id:
        // a witness that sorts before a data node can win the tie and, never running, stall a cold start.
        foreach (var w in _witnesses)
        {
            foreach (var m in members)
            {
                if (!_witnesses.Contains(m.Id) && NodeId.Compare(w, m.Id) < 0)
                {
                    throw new ElectionGroupException(
                        $"witness '{w}' sorts before data node '{m.Id}'; a witness id must sort after every data node's id (byte-wise), e.g. rename '{w}' to 'zz-{w}'");
                }
            }
        }
        var warnings = new List<string>();
        if (members.Count == 1)
        {
            warnings.Add($"group of one member ('{members[0].Id}'): there is nothing to fail over to");
        }
        else if (members.Count == 2)
        {
            warnings.Add("group of two members: quorum is 2, so losing either member stops elections; add a third member or a witness");
        }
        else if (members.Count % 2 == 0)
        {
            warnings.Add($"group of {members.Count} members: quorum is {members.Quorum}, tolerating no more failures than {members.Count - 1} members would");
        }
        Warnings = warnings;
    }

    /// <summary>Every member of the group, data nodes and witnesses alike.</summary>
    public MemberList Members { get; }

    /// <summary>Votes a candidate needs to win an epoch: a majority of all members, witnesses included.</summary>
    public int Quorum => Members.Quorum;

    /// <summary>Ids of the members that vote but hold no data and can never become primary.</summary>
    public IReadOnlyCollection<string> Witnesses => _witnesses;

    /// <summary>Survivable weaknesses of the group (one member, two members, an even count), for operators to read.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when <paramref name="id"/> names a witness of this group.</summary>
    /// <param name="id">A node id.</param>
    public bool IsWitness(string id) => _witnesses.Contains(id);
}
