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

    /// <summary>A group of <paramref name="name"/> whose hosted members must all be in the election's member list.</summary>
    /// <param name="name">The group's name, as configuration and member keys spell it.</param>
    /// <param name="election">The member list and witnesses.</param>
    /// <param name="hosted">The ids of the members this deployment runs.</param>
    /// <param name="timings">The group's election timings (heartbeat, election timeout, lease).</param>
    /// <param name="dataNodes">How the group's data nodes are driven (kevy or Redis).</param>
    /// <param name="dataNodeCredentials">How the agent authenticates to the data nodes; null = no AUTH.</param>
    /// <exception cref="ArgumentException">A hosted member is not in the member list.</exception>
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

    /// <summary>The group's name, unique in the deployment.</summary>
    public string Name { get; }

    /// <summary>The group as the election sees it: its member list and witnesses.</summary>
    public ElectionGroup Election { get; }

    /// <summary>The group's election timings: heartbeat interval, election timeout, lease.</summary>
    public ElectionTimings Timings { get; }

    /// <summary>The kind of the group's data nodes, which picks the commands that drive them.</summary>
    public DataNodeKind DataNodes { get; }

    /// <summary>How the agent authenticates to this group's data nodes; null = no AUTH.</summary>
    public DataNodeCredentials? DataNodeCredentials { get; }

    /// <summary>The ids of the members this deployment runs as grains; the others are external.</summary>
    public IReadOnlyCollection<string> Hosted => _hosted;

    /// <summary>
    /// Redis kind: the agent sets <c>min-replicas-to-write</c> on promote and clears it on follow, so
    /// an orphaned primary stops taking writes by itself (rule 13). On by default.
    /// </summary>
    public bool RedisSelfFence { get; init; } = true;

    /// <summary>
    /// After every promote and every follow the agent sends <c>CLIENT KILL TYPE normal</c> and <c>CLIENT KILL
    /// TYPE pubsub</c>, as Redis Sentinel does, so pooled clients reconnect and ask again where the primary is.
    /// Best effort: a node that refuses them (or fails) has still changed its role. On by default.
    /// </summary>
    public bool DisconnectClients { get; init; } = true;

    /// <summary>
    /// Who may become primary: per member NoFailover and Priority, the group's MaximumLagOnFailover. Every hosted
    /// member of the group applies the same policy; kevy's own rule when not set. Throws <see cref="ArgumentException"/>
    /// when the policy does not fit the group (see <see cref="FailoverPolicy.Problems"/>).
    /// </summary>
    public FailoverPolicy Failover
    {
        get => _failover;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var problems = value.Problems(Election);
            if (problems.Count > 0)
            {
                throw new ArgumentException($"group '{Name}': {string.Join("; ", problems)}", nameof(Failover));
            }
            _failover = value;
        }
    }

    private readonly FailoverPolicy _failover = FailoverPolicy.Unrestricted;

    /// <summary>
    /// Rule 14 (on by default): a hosted member whose data node refuses a connection (its process is gone, its
    /// host answers) renounces its role and tells the group's other hosted members, which then treat it as
    /// DOWN at once instead of after down_after. False: only down_after counts, as in kevy.
    /// </summary>
    public bool FastFailover { get; init; } = true;

    /// <summary>
    /// Anti-flapping: an automatic failover sooner than this after the last one a hosted member saw is held
    /// until the time is up (logged at Warning, event 5401), unless the primary's data node is certainly dead
    /// or a planned switchover hands over. Default 3 x down_after; zero holds nothing.
    /// </summary>
    public TimeSpan MinimumTimeBetweenFailovers
    {
        get => _minimumTimeBetweenFailovers ?? DefaultFailoverSpacing * Timings.DownAfter;
        init => _minimumTimeBetweenFailovers = value >= TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumTimeBetweenFailovers), value, $"group '{Name}': the minimum time between failovers is zero (no hold) or more");
    }

    /// <summary>The default <see cref="MinimumTimeBetweenFailovers"/>, in multiples of down_after.</summary>
    public const int DefaultFailoverSpacing = 3;

    private readonly TimeSpan? _minimumTimeBetweenFailovers;

    /// <summary>Whether this deployment runs <paramref name="member"/> as a grain.</summary>
    public bool IsHosted(string member) => _hosted.Contains(member);

    /// <summary>The member-list entry of <paramref name="id"/> (its addresses and whether it is a witness).</summary>
    public Member Member(string id) => Election.Members.Get(id);
}

/// <summary>The groups this deployment serves. Every silo has the same catalog (static configuration).</summary>
public interface IGroupCatalog
{
    /// <summary>Every configured group.</summary>
    IReadOnlyCollection<GroupDefinition> Groups { get; }

    /// <summary>The group named <paramref name="name"/>, or null when none is configured.</summary>
    GroupDefinition? Find(string name);
}

/// <summary>The catalog of a static configuration: the groups, looked up by name.</summary>
/// <param name="groups">The configured groups; their names must be unique.</param>
public sealed class GroupCatalog(IEnumerable<GroupDefinition> groups) : IGroupCatalog
{
    private readonly Dictionary<string, GroupDefinition> _groups = groups.ToDictionary(g => g.Name, StringComparer.Ordinal);

    /// <inheritdoc/>
    public IReadOnlyCollection<GroupDefinition> Groups => _groups.Values;

    /// <inheritdoc/>
    public GroupDefinition? Find(string name) => _groups.GetValueOrDefault(name);
}
