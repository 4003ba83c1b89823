using System.Globalization;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// Reads the reply of <c>INFO replication</c>: <c>role</c>, and for a replica <c>master_host</c>,
/// <c>master_port</c> and <c>master_link_status</c>. The offset is <c>master_repl_offset</c> on a master
/// and <c>slave_repl_offset</c> (what it has applied) on a replica, as the election compares them.
/// </summary>
public static class ReplicationInfo
{
    /// <summary>The probe that an <c>INFO replication</c> reply describes: role, offset and, for a replica, its master.</summary>
    /// <param name="info">The bulk-string reply of <c>INFO replication</c>.</param>
    /// <exception cref="FormatException">The reply has no known role or lacks a numeric offset.</exception>
    public static DataNodeProbe Parse(string info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || colon <= 0)
            {
                continue;
            }
            fields.TryAdd(line[..colon], line[(colon + 1)..]);
        }
        var role = fields.GetValueOrDefault("role") switch
        {
            "master" => DataNodeRole.Master,
            "slave" or "replica" => DataNodeRole.Replica,
            var other => throw new FormatException($"INFO replication reports role '{other ?? "(none)"}'; expected master or slave"),
        };
        if (role == DataNodeRole.Master)
        {
            return new DataNodeProbe(true, Offset(fields, "master_repl_offset"), DataNodeRole.Master);
        }
        var port = fields.GetValueOrDefault("master_port");
        return new DataNodeProbe(true, Offset(fields, "slave_repl_offset"), DataNodeRole.Replica,
            fields.GetValueOrDefault("master_host"),
            int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0,
            fields.GetValueOrDefault("master_link_status"));
    }

    // Redis reports -1 or 0 before a replica has synced; anything below zero is "nothing applied".
    private static ulong Offset(Dictionary<string, string> fields, string name) =>
        !fields.TryGetValue(name, out var text)
            ? throw new FormatException($"INFO replication has no {name}")
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? (ulong)Math.Max(0, value)
                : throw new FormatException($"INFO replication: {name} is '{text}', not a number");
}
