using System.Globalization;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>A data node's client address, as Sentinel gives it out: an IP (or host name) and a port.</summary>
/// <param name="Host">The host of the member-list entry.</param>
/// <param name="Port">The member's client port.</param>
public sealed record DataNodeAddress(string Host, int Port)
{
    /// <summary>The port in decimal.</summary>
    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>host:port</c>, Sentinel's name for a replica.</summary>
    public override string ToString() => $"{Host}:{PortText}";
}

/// <summary>One data member of a group as the Sentinel endpoint shows it.</summary>
/// <param name="Id">The member's node id (given out as <c>runid</c>).</param>
/// <param name="Address">Its data node's client address.</param>
/// <param name="Role">The role it claims; null when unknown.</param>
/// <param name="Up">Whether the group can count on it (<see cref="MemberHealth.IsUp"/>).</param>
/// <param name="Offset">Its replication offset; 0 when unknown.</param>
/// <param name="KnownPrimary">The primary it knows of.</param>
public sealed record SentinelMember(string Id, DataNodeAddress Address, Role? Role, bool Up, ulong Offset, string? KnownPrimary);

/// <summary>
/// One group as this silo's Sentinel endpoint sees it, built from the group grain's status (the same
/// source the admin API serves). Immutable; a new one replaces it on every refresh.
/// </summary>
/// <param name="Name">The group name, Sentinel's master name.</param>
/// <param name="Epoch">The highest epoch any member reports.</param>
/// <param name="Primary">The primary's data member, or null when the group has none (or it is a witness).</param>
/// <param name="Members">Every member with a data node (witnesses have none and are left out).</param>
/// <param name="Quorum">Votes needed to win an election (N/2 + 1, witnesses counted).</param>
/// <param name="UpVoters">Members, witnesses included, that are up now.</param>
public sealed record SentinelGroupView(string Name, ulong Epoch, SentinelMember? Primary, IReadOnlyList<SentinelMember> Members, int Quorum, int UpVoters)
{
    /// <summary>
    /// The primary's address before the group lost its primary, while it has none (the refresher carries it
    /// from view to view); null while there is a primary or none was ever seen.
    /// </summary>
    public DataNodeAddress? LastPrimary { get; init; }

    /// <summary>The address Sentinel would give for the master: the primary's, else the last one known.</summary>
    public DataNodeAddress? MasterAddress => Primary?.Address ?? LastPrimary;

    /// <summary>Every data member but the primary.</summary>
    public IEnumerable<SentinelMember> Replicas => Members.Where(m => m.Id != Primary?.Id);

    /// <summary>The view of <paramref name="status"/> for the configured <paramref name="group"/>.</summary>
    public static SentinelGroupView From(GroupDefinition group, GroupStatus status)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        var members = new List<SentinelMember>();
        foreach (var m in status.Members)
        {
            var entry = group.Election.Members.Find(m.Id);
            if (entry is null || m.IsWitness)
            {
                continue;
            }
            members.Add(new SentinelMember(m.Id, new DataNodeAddress(Endpoints.Bare(entry.Host), entry.ClientPort), m.Role, m.IsUp(), m.Offset ?? 0, m.KnownPrimary));
        }
        var primary = status.Primary is { } p ? members.Find(m => m.Id == p) : null;
        return new SentinelGroupView(status.Name, status.Epoch, primary, members, group.Election.Members.Quorum, status.Members.Count(m => m.IsUp()));
    }

    /// <summary>A group whose status could not be read yet: its members, none up, no primary.</summary>
    public static SentinelGroupView Unknown(GroupDefinition group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var members = group.Election.Members.Where(m => !group.Election.IsWitness(m.Id))
            .Select(m => new SentinelMember(m.Id, new DataNodeAddress(Endpoints.Bare(m.Host), m.ClientPort), null, false, 0, null)).ToList();
        return new SentinelGroupView(group.Name, 0, null, members, group.Election.Members.Quorum, 0);
    }
}
