using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;

namespace KevyOrleans.Hosting;

/// <summary><c>Kevy:Groups:N</c>: each group's members, witnesses, hosted members, data-node kind, credentials and failover settings.</summary>
internal static class GroupReader
{
    private const string S = KevyElectionOptions.SectionName;

    public static List<GroupDefinition> Read(List<KevyGroupOptions> options, ElectionTimings timings, List<ConfigurationError> errors, List<string> warnings)
    {
        if (options.Count == 0)
        {
            warnings.Add($"{S}:Groups is empty: this deployment hosts no member");
        }
        var groups = new List<GroupDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var g = options[i];
            var key = $"{S}:Groups:{i}";
            if (!MemberKey.IsValidGroupName(g.Name, out var nameError))
            {
                errors.Add(new($"{key}:Name", g.Name, $"{key}:Name: {nameError}"));
                continue;
            }
            if (!names.Add(g.Name))
            {
                errors.Add(new($"{key}:Name", g.Name, $"{key}:Name: group '{g.Name}' is defined twice"));
                continue;
            }
            if (ReadGroup(g, key, timings, errors, warnings) is { } definition)
            {
                groups.Add(definition);
            }
        }
        return groups;
    }

    private static GroupDefinition? ReadGroup(KevyGroupOptions g, string key, ElectionTimings timings, List<ConfigurationError> errors, List<string> warnings)
    {
        var before = errors.Count;
        if (!MemberList.TryParse(g.Peers ?? "", out var members, out var peersError))
        {
            errors.Add(new($"{key}:Peers", g.Peers, $"{key}:Peers: {peersError}"));
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
            errors.Add(new($"{key}:Witnesses", g.Witnesses, $"{key}:Witnesses: {e.Message}"));
            return null;
        }
        var hosted = SplitIds(g.Hosted);
        if (hosted.Count == 0)
        {
            errors.Add(new($"{key}:Hosted", g.Hosted, $"{key}:Hosted is empty: name the members of group '{g.Name}' this deployment runs"));
        }
        foreach (var h in hosted)
        {
            var m = members!.Find(h);
            if (m is null)
            {
                errors.Add(new($"{key}:Hosted", g.Hosted, $"{key}:Hosted: '{h}' is not in the member list '{g.Peers}'"));
            }
            else if (!group.IsWitness(h) && !m.HasSeparateClientPort)
            {
                errors.Add(new($"{key}:Peers", g.Peers, $"{key}:Peers: hosted member '{m}' has a data node, so its entry needs the form id@host:elect_port:client_port " +
                    "(in the two-field form the silo's listener and the data node would share one port)"));
            }
        }
        var kind = ProviderName.Parse<DataNodeKind>(g.DataNodes);
        if (kind is null)
        {
            errors.Add(new($"{key}:DataNodes", g.DataNodes, $"{key}:DataNodes is '{g.DataNodes}'; it must be 'kevy' or 'redis'"));
        }
        else if (kind == DataNodeKind.Kevy)
        {
            CheckKevyReplicationPorts(members!, group, key, g.Peers, errors);
        }
        DataNodeCredentials? credentials = null;
        if (!string.IsNullOrEmpty(g.DataNodePassword))
        {
            credentials = new DataNodeCredentials(g.DataNodeUser, g.DataNodePassword);
        }
        else if (!string.IsNullOrWhiteSpace(g.DataNodeUser))
        {
            errors.Add(new($"{key}:DataNodeUser", g.DataNodeUser,
                $"{key}:DataNodeUser is '{g.DataNodeUser}' but {key}:DataNodePassword is empty; an ACL user needs a password"));
        }
        var failover = FailoverReader.Read(g, group, key, errors);
        if (g.MinimumTimeBetweenFailoversMs is < 0)
        {
            errors.Add(new($"{key}:MinimumTimeBetweenFailoversMs", g.MinimumTimeBetweenFailoversMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{key}:MinimumTimeBetweenFailoversMs is {g.MinimumTimeBetweenFailoversMs}; it must be 0 (no hold) or more milliseconds " +
                $"(leave it out for {GroupDefinition.DefaultFailoverSpacing} x DownAfterMs)"));
        }
        foreach (var w in group.Warnings)
        {
            warnings.Add($"{key} ('{g.Name}'): {w}");
        }
        return errors.Count == before ? new GroupDefinition(g.Name, group, hosted, timings, kind!.Value, credentials)
            {
                RedisSelfFence = g.RedisSelfFence,
                DisconnectClients = g.DisconnectClients,
                Failover = failover!,
                FastFailover = g.FastFailover,
                MinimumTimeBetweenFailovers = g.MinimumTimeBetweenFailoversMs is { } spacing
                    ? TimeSpan.FromMilliseconds(spacing) : GroupDefinition.DefaultFailoverSpacing * timings.DownAfter,
            } : null;
    }

    /// <summary>
    /// A kevy data node replicates on its client port + 10000, and every data member may be the
    /// primary the hosted ones follow, so each data member's client port must leave room for it.
    /// </summary>
    private static void CheckKevyReplicationPorts(MemberList members, ElectionGroup group, string key, string? peers, List<ConfigurationError> errors)
    {
        const int MaxPort = 65535;
        foreach (var m in members)
        {
            var replication = m.ClientPort + DataNodeConventions.KevyReplicationPortOffset;
            if (!group.IsWitness(m.Id) && replication > MaxPort)
            {
                errors.Add(new($"{key}:Peers", peers, $"{key}:Peers: data member '{m}' has client port {m.ClientPort}, so its kevy replication port (client port + " +
                    $"{DataNodeConventions.KevyReplicationPortOffset}) would be {replication}, above {MaxPort}; " +
                    $"give it a client port of {MaxPort - DataNodeConventions.KevyReplicationPortOffset} or less"));
            }
        }
    }

    private static List<string> SplitIds(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
}
