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

    public MemberList Members { get; }

    public int Quorum => Members.Quorum;

    public IReadOnlyCollection<string> Witnesses => _witnesses;

    public IReadOnlyList<string> Warnings { get; }

    public bool IsWitness(string id) => _witnesses.Contains(id);
}
