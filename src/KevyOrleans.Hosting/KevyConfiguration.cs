using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;

namespace KevyOrleans.Hosting;

/// <summary>
/// Turns <see cref="KevyElectionOptions"/> into the group catalog, collecting every error (each
/// naming its configuration key and the bad value) and every warning.
/// </summary>
public static class KevyConfiguration
{
    private const string S = KevyElectionOptions.SectionName;

    public sealed record Result(IReadOnlyList<GroupDefinition> Groups, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
    {
        public bool IsValid => Errors.Count == 0;
    }

    public static Result Read(KevyElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var warnings = new List<string>();
        CheckStorage(options.Storage, errors);
        var timings = options.Timings.ToElectionTimings();
        foreach (var problem in timings.Validate())
        {
            errors.Add($"{S}:Timings: {ToConfigNames(problem)}");
        }
        if (options.StorageTimeoutMs <= 0)
        {
            errors.Add($"{S}:StorageTimeoutMs is {options.StorageTimeoutMs}; it must be greater than 0");
        }
        if (options.SupervisorIntervalMs < 0)
        {
            errors.Add($"{S}:SupervisorIntervalMs is {options.SupervisorIntervalMs}; it must be 0 (automatic) or more");
        }
        if (options.Groups.Count == 0)
        {
            warnings.Add($"{S}:Groups is empty: this deployment hosts no member");
        }
        var groups = new List<GroupDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Groups.Count; i++)
        {
            var g = options.Groups[i];
            var key = $"{S}:Groups:{i}";
            if (!MemberKey.IsValidGroupName(g.Name, out var nameError))
            {
                errors.Add($"{key}:Name: {nameError}");
                continue;
            }
            if (!names.Add(g.Name))
            {
                errors.Add($"{key}:Name: group '{g.Name}' is defined twice");
                continue;
            }
            if (ReadGroup(g, key, timings.Validate().Count == 0 ? timings : ElectionTimings.Default, errors, warnings) is { } definition)
            {
                groups.Add(definition);
            }
        }
        return new Result(groups, errors, warnings);
    }

    private static GroupDefinition? ReadGroup(KevyGroupOptions g, string key, ElectionTimings timings, List<string> errors, List<string> warnings)
    {
        var before = errors.Count;
        if (!MemberList.TryParse(g.Peers ?? "", out var members, out var peersError))
        {
            errors.Add($"{key}:Peers: {peersError}");
            return null;
        }
        var witnesses = SplitIds(g.Witnesses);
        ElectionGroup group;
        try
        {
            group = new ElectionGroup(members!, witnesses);
        }
        catch (ElectionGroupException e)
        {
            errors.Add($"{key}:Witnesses: {e.Message}");
            return null;
        }
        var hosted = SplitIds(g.Hosted);
        if (hosted.Count == 0)
        {
            errors.Add($"{key}:Hosted is empty: name the members of group '{g.Name}' this deployment runs");
        }
        foreach (var h in hosted)
        {
            var m = members!.Find(h);
            if (m is null)
            {
                errors.Add($"{key}:Hosted: '{h}' is not in the member list '{g.Peers}'");
            }
            else if (!group.IsWitness(h) && !m.HasSeparateClientPort)
            {
                errors.Add($"{key}:Peers: hosted member '{m}' has a data node, so its entry needs the form id@host:elect_port:client_port " +
                    "(in the two-field form the silo's listener and the data node would share one port)");
            }
        }
        if (!Enum.TryParse<DataNodeKind>(g.DataNodes, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            errors.Add($"{key}:DataNodes is '{g.DataNodes}'; it must be 'kevy' or 'redis'");
        }
        else if (kind == DataNodeKind.Kevy)
        {
            CheckKevyReplicationPorts(members!, group, key, errors);
        }
        DataNodeCredentials? credentials = null;
        if (!string.IsNullOrEmpty(g.DataNodePassword))
        {
            credentials = new DataNodeCredentials(g.DataNodeUser, g.DataNodePassword);
        }
        else if (!string.IsNullOrWhiteSpace(g.DataNodeUser))
        {
            errors.Add($"{key}:DataNodeUser is '{g.DataNodeUser}' but {key}:DataNodePassword is empty; an ACL user needs a password");
        }
        foreach (var w in group.Warnings)
        {
            warnings.Add($"{key} ('{g.Name}'): {w}");
        }
        return errors.Count == before ? new GroupDefinition(g.Name, group, hosted, timings, kind, credentials) { RedisSelfFence = g.RedisSelfFence } : null;
    }

    /// <summary>
    /// A kevy data node replicates on its client port + 10000, and every data member may be the
    /// primary the hosted ones follow, so each data member's client port must leave room for it.
    /// </summary>
    private static void CheckKevyReplicationPorts(MemberList members, ElectionGroup group, string key, List<string> errors)
    {
        const int MaxPort = 65535;
        foreach (var m in members)
        {
            var replication = m.ClientPort + DataNodeConventions.KevyReplicationPortOffset;
            if (!group.IsWitness(m.Id) && replication > MaxPort)
            {
                errors.Add($"{key}:Peers: data member '{m}' has client port {m.ClientPort}, so its kevy replication port (client port + " +
                    $"{DataNodeConventions.KevyReplicationPortOffset}) would be {replication}, above {MaxPort}; " +
                    $"give it a client port of {MaxPort - DataNodeConventions.KevyReplicationPortOffset} or less");
            }
        }
    }

    private static void CheckStorage(KevyStorageOptions storage, List<string> errors)
    {
        switch (storage.Provider)
        {
            case "File":
                if (string.IsNullOrWhiteSpace(storage.Path))
                {
                    errors.Add($"{S}:Storage:Path is empty; the File provider needs a directory");
                }
                break;
            case "AzureTable":
                AzureTableAccount.Check($"{S}:Storage", storage.ConnectionString, storage.ServiceUri, errors);
                break;
            case "Custom":
                break;
            default:
                errors.Add($"{S}:Storage:Provider is '{storage.Provider}'; it must be 'File', 'AzureTable' or 'Custom'");
                break;
        }
    }

    private static List<string> SplitIds(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    // ElectionTimings speaks of HeartbeatInterval; the configuration of HeartbeatMs.
    private static string ToConfigNames(string problem) => problem
        .Replace("HeartbeatInterval", "HeartbeatMs", StringComparison.Ordinal)
        .Replace("DownAfter ", "DownAfterMs ", StringComparison.Ordinal)
        .Replace("ElectionTimeout", "ElectionTimeoutMs", StringComparison.Ordinal)
        .Replace("BackoffJitter", "BackoffJitterMs", StringComparison.Ordinal)
        .Replace("Backoff ", "BackoffMs ", StringComparison.Ordinal);
}
