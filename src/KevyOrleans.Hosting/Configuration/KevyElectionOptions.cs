using KevyOrleans.Election;

namespace KevyOrleans.Hosting;

/// <summary>The <c>Kevy</c> configuration section (ARCHITECTURE.md, "Configuration contract").</summary>
public sealed class KevyElectionOptions
{
    /// <summary>The configuration section the options bind from: <c>Kevy</c>.</summary>
    public const string SectionName = "Kevy";

    /// <summary>Where members' durable records (epoch, vote, announcement) are kept (<c>Kevy:Storage</c>); default the file provider under <c>data</c>.</summary>
    public KevyStorageOptions Storage { get; set; } = new();

    /// <summary>The election timings every group uses (<c>Kevy:Timings</c>); defaults are kevy's.</summary>
    public KevyTimingsOptions Timings { get; set; } = new();

    /// <summary>How the silos of this deployment find each other (<c>Kevy:Clustering</c>).</summary>
    public KevyClusteringOptions Clustering { get; set; } = new();

    /// <summary>The groups this deployment serves (<c>Kevy:Groups:N</c>); default none.</summary>
    public List<KevyGroupOptions> Groups { get; set; } = [];

    /// <summary>A durable write slower than this counts as failed (nothing sent, the member reloads).</summary>
    public int StorageTimeoutMs { get; set; } = 2000;

    /// <summary>How often every silo makes sure every hosted member is active; 0 = down_after / 4.</summary>
    public int SupervisorIntervalMs { get; set; }
}

/// <summary>The <c>Kevy:Storage</c> section: the provider of the <c>kevy-votes</c> grain storage and its location.</summary>
public sealed class KevyStorageOptions
{
    /// <summary><c>File</c> (embedded default), <c>AzureTable</c>, or <c>Custom</c> (the host registers <c>kevy-votes</c> itself); any case.</summary>
    public string Provider { get; set; } = "File";

    /// <summary>File provider: the directory of the state files.</summary>
    public string Path { get; set; } = "data";

    /// <summary>AzureTable provider: a connection string, or ...</summary>
    public string? ConnectionString { get; set; }

    /// <summary>... a table service URI used with DefaultAzureCredential (managed identity).</summary>
    public string? ServiceUri { get; set; }
}

/// <summary>The <c>Kevy:Timings</c> section: the protocol's timings in milliseconds, kevy's defaults.</summary>
public sealed class KevyTimingsOptions
{
    /// <summary><c>Kevy:Timings:HeartbeatMs</c>, default 200: how often a member sends heartbeats to its group.</summary>
    public int HeartbeatMs { get; set; } = 200;
    /// <summary><c>Kevy:Timings:DownAfterMs</c>, default 5000: a member unheard for this long is DOWN in the local view.</summary>
    public int DownAfterMs { get; set; } = 5000;
    /// <summary><c>Kevy:Timings:ElectionTimeoutMs</c>, default 3000: a candidate without quorum by then gives up and backs off.</summary>
    public int ElectionTimeoutMs { get; set; } = 3000;
    /// <summary><c>Kevy:Timings:BackoffMs</c>, default 1000: the fixed part of the wait before the next candidacy.</summary>
    public int BackoffMs { get; set; } = 1000;
    /// <summary><c>Kevy:Timings:BackoffJitterMs</c>, default 4000: the upper bound of the random part added to the backoff.</summary>
    public int BackoffJitterMs { get; set; } = 4000;

    /// <summary>The timings as the elector takes them.</summary>
    public ElectionTimings ToElectionTimings() => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(HeartbeatMs),
        DownAfter = TimeSpan.FromMilliseconds(DownAfterMs),
        ElectionTimeout = TimeSpan.FromMilliseconds(ElectionTimeoutMs),
        Backoff = TimeSpan.FromMilliseconds(BackoffMs),
        BackoffJitter = TimeSpan.FromMilliseconds(BackoffJitterMs),
    };
}

/// <summary>One entry of <c>Kevy:Groups</c>: a group's name, member list, hosted members, witnesses and data nodes.</summary>
public sealed class KevyGroupOptions
{
    /// <summary><c>Kevy:Groups:N:Name</c>, required: the group's name, unique in the deployment.</summary>
    public string Name { get; set; } = "";

    /// <summary>kevy's own member-list string, pasted as is.</summary>
    public string Peers { get; set; } = "";

    /// <summary>Comma-separated ids of the members this deployment runs as grains.</summary>
    public string Hosted { get; set; } = "";

    /// <summary>Comma-separated ids of the witnesses (voters without data).</summary>
    public string Witnesses { get; set; } = "";

    /// <summary><c>kevy</c> (default) or <c>redis</c>.</summary>
    public string DataNodes { get; set; } = "kevy";

    /// <summary>The ACL user the agent authenticates as on this group's data nodes; needs <see cref="DataNodePassword"/>.</summary>
    public string? DataNodeUser { get; set; }

    /// <summary>The password for <c>AUTH</c> on this group's data nodes (requirepass, or the ACL user's); never logged.</summary>
    public string? DataNodePassword { get; set; }

    /// <summary>
    /// Redis kind: set <c>min-replicas-to-write</c> (quorum - 1 data replicas) and <c>min-replicas-max-lag</c>
    /// (the lease window in seconds) on promote, cleared on follow, so a primary whose member is gone stops
    /// taking writes by itself (rule 13). Default true; false for a group whose ACL user may not CONFIG SET
    /// or that prefers writes with fewer replicas over the self-fence.
    /// </summary>
    public bool RedisSelfFence { get; set; } = true;

    /// <summary>
    /// <c>Kevy:Groups:N:DisconnectClients</c>: on every promote and follow, disconnect the data node's normal and
    /// pub/sub clients (<c>CLIENT KILL TYPE normal</c> / <c>pubsub</c>) so they re-resolve the primary. Default true.
    /// </summary>
    public bool DisconnectClients { get; set; } = true;

    /// <summary>
    /// <c>Kevy:Groups:N:FastFailover</c>: rule 14. A hosted member whose data node refuses a connection (its process
    /// is gone while its host answers) renounces its role and tells the group's other hosted members, which treat
    /// it as DOWN at once; timeouts still wait down_after. Default true; false waits down_after in every case.
    /// </summary>
    public bool FastFailover { get; set; } = true;

    /// <summary>
    /// <c>Kevy:Groups:N:Members:M</c>: per-member failover settings (<c>Id</c>, <c>NoFailover</c>, <c>Priority</c>);
    /// a member not listed may become primary at the lowest priority. Default none.
    /// </summary>
    public List<KevyMemberOptions> Members { get; set; } = [];

    /// <summary>
    /// <c>Kevy:Groups:N:MaximumLagOnFailover</c>: bytes behind the best known offset beyond which a hosted member
    /// does not run for primary; absent = no limit (kevy's rule). Must be 0 or more.
    /// </summary>
    public long? MaximumLagOnFailover { get; set; }

    /// <summary>
    /// <c>Kevy:Groups:N:MinimumTimeBetweenFailoversMs</c>: anti-flapping. An automatic failover sooner than this after the
    /// last one is held (logged at Warning) unless the primary's data node is certainly dead; planned switchovers are
    /// never held. Absent = 3 x <c>DownAfterMs</c>; 0 = no hold; must be 0 or more.
    /// </summary>
    public int? MinimumTimeBetweenFailoversMs { get; set; }
}

/// <summary>One entry of <c>Kevy:Groups:N:Members</c>: who may become primary, and in which order at an offset tie.</summary>
public sealed class KevyMemberOptions
{
    /// <summary><c>Kevy:Groups:N:Members:M:Id</c>, required: the member's node id, as in <c>Peers</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary><c>Kevy:Groups:N:Members:M:NoFailover</c>, default false: the member never becomes primary (Sentinel's replica-priority 0).</summary>
    public bool NoFailover { get; set; }

    /// <summary><c>Kevy:Groups:N:Members:M:Priority</c>, default 0, 0 to 1000: among candidates with the same offset, hosted voters prefer the higher.</summary>
    public int Priority { get; set; }
}
