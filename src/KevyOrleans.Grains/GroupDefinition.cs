using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

/// <summary>How a group's data nodes are driven (PROTOCOL.md, "Driving a data node from outside").</summary>
public enum DataNodeKind
{
    /// <summary>kevy: follow the primary's replication port (client port + 10000); fence by demoting.</summary>
    Kevy,
    /// <summary>Redis / Valkey: follow the client port; fence with CLIENT PAUSE WRITE.</summary>
    Redis,
}

/// <summary>A configured group: its members, which of them this deployment hosts, its timings.</summary>
public sealed class GroupDefinition
{
    private readonly HashSet<string> _hosted;

    public GroupDefinition(string name, ElectionGroup election, IEnumerable<string> hosted, ElectionTimings timings, DataNodeKind dataNodes,
        DataNodeCredentials? dataNodeCredentials = null)
    {
        ArgumentNullException.ThrowIfNull(election);
        Name = name;
        Election = election;
        Timings = timings;
        DataNodes = dataNodes;
        DataNodeCredentials = dataNodeCredentials;
        _hosted = new HashSet<string>(hosted, StringComparer.Ordinal);
        foreach (var h in _hosted)
        {
            if (!election.Members.Contains(h))
            {
                throw new ArgumentException($"hosted member '{h}' is not in the member list of group '{name}'");
            }
        }
    }

    public string Name { get; }

    /// <summary>The group as the election sees it: its member list and witnesses.</summary>
    public ElectionGroup Election { get; }

    public ElectionTimings Timings { get; }

    public DataNodeKind DataNodes { get; }

    /// <summary>How the agent authenticates to this group's data nodes; null = no AUTH.</summary>
    public DataNodeCredentials? DataNodeCredentials { get; }

    public IReadOnlyCollection<string> Hosted => _hosted;

    /// <summary>
    /// Redis kind: the agent sets <c>min-replicas-to-write</c> on promote and clears it on follow, so
    /// an orphaned primary stops taking writes by itself (rule 13). On by default.
    /// </summary>
    public bool RedisSelfFence { get; init; } = true;

    public bool IsHosted(string member) => _hosted.Contains(member);

    public Member Member(string id) => Election.Members.Get(id);
}

/// <summary>The groups this deployment serves. Every silo has the same catalog (static configuration).</summary>
public interface IGroupCatalog
{
    IReadOnlyCollection<GroupDefinition> Groups { get; }

    GroupDefinition? Find(string name);
}

public sealed class GroupCatalog(IEnumerable<GroupDefinition> groups) : IGroupCatalog
{
    private readonly Dictionary<string, GroupDefinition> _groups = groups.ToDictionary(g => g.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<GroupDefinition> Groups => _groups.Values;

    public GroupDefinition? Find(string name) => _groups.GetValueOrDefault(name);
}
