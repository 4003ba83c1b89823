using System.Globalization;
using System.Text;
using KevyOrleans.Protocol;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// The reply shapes of Redis Sentinel (<c>sentinel.c</c>, <c>addReplySentinelRedisInstance</c>): flat
/// field/value arrays of bulk strings for masters, replicas and sentinels, and the INFO text. Pure.
/// </summary>
internal static class SentinelReplies
{
    /// <summary>The Redis version the endpoint reports: its replies follow Sentinel 7.0 (REPLICAS, not only SLAVES).</summary>
    public const string RedisVersion = "7.0.0";

    /// <summary><c>SENTINEL MASTER &lt;g&gt;</c>: the primary (or the last one known) as Sentinel describes a master.</summary>
    public static RespValue Master(SentinelGroupView view, DataNodeAddress address, int otherSentinels, int downAfterMs, int failoverTimeoutMs)
    {
        var flags = view.Primary is { Up: true } ? "master" : "master,s_down,o_down";
        return Fields(
            "name", view.Name,
            "ip", address.Host,
            "port", address.PortText,
            "runid", view.Primary?.Id ?? "",
            "flags", flags,
            "link-pending-commands", "0",
            "link-refcount", "1",
            "last-ping-sent", "0",
            "last-ok-ping-reply", "0",
            "last-ping-reply", "0",
            "down-after-milliseconds", Num(downAfterMs),
            "info-refresh", "0",
            "role-reported", "master",
            "role-reported-time", "0",
            "config-epoch", Num(view.Epoch),
            "num-slaves", Num(view.Replicas.Count()),
            "num-other-sentinels", Num(otherSentinels),
            "quorum", Num(view.Quorum),
            "failover-timeout", Num(failoverTimeoutMs),
            "parallel-syncs", "1");
    }

    /// <summary>One entry of <c>SENTINEL REPLICAS &lt;g&gt;</c>.</summary>
    public static RespValue Replica(SentinelMember m, SentinelGroupView view, int downAfterMs)
    {
        var primary = view.Primary;
        var linked = m.Up && m.Role == Role.Replica && primary is not null && m.KnownPrimary == primary.Id;
        var flags = "slave" + (m.Up ? "" : ",s_down,disconnected");
        return Fields(
            "name", m.Address.ToString(),
            "ip", m.Address.Host,
            "port", m.Address.PortText,
            "runid", m.Id,
            "flags", flags,
            "link-pending-commands", "0",
            "link-refcount", "1",
            "last-ping-sent", "0",
            "last-ok-ping-reply", "0",
            "last-ping-reply", "0",
            "down-after-milliseconds", Num(downAfterMs),
            "info-refresh", "0",
            "role-reported", m.Role == Role.Primary ? "master" : "slave",
            "role-reported-time", "0",
            "master-link-down-time", "0",
            "master-link-status", linked ? "ok" : "err",
            "master-host", primary?.Address.Host ?? "?",
            "master-port", primary?.Address.PortText ?? "0",
            "slave-priority", "100",
            "slave-repl-offset", Num(m.Offset),
            "replica-announced", "1");
    }

    /// <summary>One entry of <c>SENTINEL SENTINELS &lt;g&gt;</c>.</summary>
    public static RespValue Sentinel(SentinelPeer peer, ulong epoch) => Fields(
        "name", peer.RunId,
        "ip", peer.Ip,
        "port", Num(peer.Port),
        "runid", peer.RunId,
        "flags", "sentinel",
        "link-pending-commands", "0",
        "link-refcount", "1",
        "last-ping-sent", "0",
        "last-ok-ping-reply", Num(peer.SinceHelloMs),
        "last-ping-reply", Num(peer.SinceHelloMs),
        "down-after-milliseconds", "30000",
        "last-hello-message", Num(peer.SinceHelloMs),
        "voted-leader", "?",
        "voted-leader-epoch", Num(epoch));

    /// <summary>The INFO text of <paramref name="section"/> (null, <c>default</c>, <c>all</c>, <c>everything</c>: every section; an unknown one: empty).</summary>
    public static string Info(SentinelState state, string? section)
    {
        var all = section is null || section.Equals("default", StringComparison.OrdinalIgnoreCase)
            || section.Equals("all", StringComparison.OrdinalIgnoreCase) || section.Equals("everything", StringComparison.OrdinalIgnoreCase);
        bool Wants(string name) => all || section!.Equals(name, StringComparison.OrdinalIgnoreCase);
        var text = new StringBuilder();
        if (Wants("server"))
        {
            text.Append("# Server\r\n")
                .Append("redis_version:").Append(RedisVersion).Append("\r\n")
                .Append("redis_mode:sentinel\r\n")
                .Append("kevy_orleans:1\r\n")
                .Append("os:").Append(Environment.OSVersion.Platform).Append("\r\n")
                .Append("arch_bits:").Append(Num(IntPtr.Size * 8)).Append("\r\n")
                .Append("process_id:").Append(Num(Environment.ProcessId)).Append("\r\n")
                .Append("run_id:").Append(state.MyId).Append("\r\n")
                .Append("tcp_port:").Append(Num(state.Port)).Append("\r\n")
                .Append("uptime_in_seconds:").Append(Num((long)(DateTimeOffset.UtcNow - state.Started).TotalSeconds)).Append("\r\n\r\n");
        }
        if (Wants("clients"))
        {
            text.Append("# Clients\r\n")
                .Append("pubsub_clients:").Append(Num(state.Hub.Count)).Append("\r\n\r\n");
        }
        if (Wants("sentinel"))
        {
            var views = state.GroupNames.Select(state.Find).OfType<SentinelGroupView>().ToList();
            text.Append("# Sentinel\r\n")
                .Append("sentinel_masters:").Append(Num(views.Count)).Append("\r\n")
                .Append("sentinel_tilt:0\r\n")
                .Append("sentinel_running_scripts:0\r\n")
                .Append("sentinel_scripts_queue_length:0\r\n")
                .Append("sentinel_simulate_failure_flags:0\r\n");
            for (var i = 0; i < views.Count; i++)
            {
                var v = views[i];
                var status = v.Primary is { Up: true } ? "ok" : v.Primary is null ? "odown" : "sdown";
                var address = v.Primary?.Address.ToString() ?? "?:0";
                text.Append(CultureInfo.InvariantCulture, $"master{i}:name={v.Name},status={status},address={address},")
                    .Append(CultureInfo.InvariantCulture, $"slaves={v.Replicas.Count()},sentinels={state.Peers.Count + 1}\r\n");
            }
        }
        return text.ToString();
    }

    /// <summary>An array of bulk strings.</summary>
    public static RespValue Bulks(params string[] items) => RespValue.Array([.. items.Select(RespValue.Bulk)]);

    private static RespValue Fields(params string[] pairs) => Bulks(pairs);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
