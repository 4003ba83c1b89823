using System.Globalization;
using KevyOrleans.Grains;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// The <c>SENTINEL</c> subcommands, <c>INFO</c> and <c>ROLE</c>, answered from <see cref="SentinelState"/>
/// in Redis Sentinel's reply shapes and error texts. Stateless: the session handles authentication and
/// subscriber mode.
/// </summary>
internal static class SentinelCommands
{
    public const string NoSuchMaster = "ERR No such master with that name";

    public static RespValue Info(SentinelState state, IReadOnlyList<string> args) => args.Count > 2
        ? RespValue.Error("ERR syntax error")
        : RespValue.Bulk(SentinelReplies.Info(state, args.Count == 2 ? args[1] : null));

    public static RespValue Role(SentinelState state) =>
        RespValue.Array([RespValue.Bulk("sentinel"), SentinelReplies.Bulks([.. state.GroupNames])]);

    public static async Task<RespValue> SentinelAsync(SentinelState state, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count < 2)
        {
            return Arity("sentinel");
        }
        var sub = args[1].ToUpperInvariant();
        var named = args.Count == 3 ? state.Find(args[2]) : null;
        switch (sub)
        {
            case "MYID" when args.Count == 2:
                return RespValue.Bulk(state.MyId);
            case "MASTERS" when args.Count == 2:
                return RespValue.Array([.. state.GroupNames.Select(state.Find).OfType<SentinelGroupView>()
                    .Where(v => v.MasterAddress is not null).Select(v => Master(state, v, v.MasterAddress!))]);
            case "GET-MASTER-ADDR-BY-NAME" when args.Count == 3:
                return named?.Primary is { } p ? SentinelReplies.Bulks(p.Address.Host, p.Address.PortText) : RespValue.Null;
            case "MASTER" when args.Count == 3:
                return named?.MasterAddress is { } address ? Master(state, named, address) : RespValue.Error(NoSuchMaster);
            case "REPLICAS" or "SLAVES" when args.Count == 3:
                return named is null ? RespValue.Error(NoSuchMaster)
                    : RespValue.Array([.. named.Replicas.Select(m => SentinelReplies.Replica(m, named, DownAfterMs(state)))]);
            case "SENTINELS" when args.Count == 3:
                return named is null ? RespValue.Error(NoSuchMaster)
                    : RespValue.Array([.. state.Peers.Select(p => SentinelReplies.Sentinel(p, named.Epoch))]);
            case "CKQUORUM" when args.Count == 3:
                return named is null ? RespValue.Error(NoSuchMaster) : CkQuorum(named);
            case "FAILOVER" when args.Count == 3:
                return named is null ? RespValue.Error(NoSuchMaster) : await FailoverAsync(state, named.Name, cancellationToken).ConfigureAwait(false);
            case "MYID" or "MASTERS" or "GET-MASTER-ADDR-BY-NAME" or "MASTER" or "REPLICAS" or "SLAVES" or "SENTINELS" or "CKQUORUM" or "FAILOVER":
                return Arity($"sentinel|{args[1].ToLowerInvariant()}");
            default:
                return RespValue.Error($"ERR unknown subcommand '{Shown(args[1])}'. Try SENTINEL HELP.");
        }
    }

    public static RespValue Arity(string command) => RespValue.Error($"ERR wrong number of arguments for '{command}' command");

    /// <summary>Redis' text for an unknown command, quoting (the start of) its arguments.</summary>
    public static RespValue Unknown(IReadOnlyList<string> args)
    {
        var quoted = string.Concat(args.Skip(1).Take(8).Select(a => $"'{Shown(a)}' "));
        return RespValue.Error($"ERR unknown command '{Shown(args[0])}', with args beginning with: {quoted}");
    }

    /// <summary>Client text in a one-line error: at most 128 characters, CR and LF replaced.</summary>
    public static string Shown(string text)
    {
        var s = text.Length > 128 ? text[..128] : text;
        return s.Replace('\r', ' ').Replace('\n', ' ');
    }

    private static RespValue Master(SentinelState state, SentinelGroupView view, DataNodeAddress address) =>
        SentinelReplies.Master(view, address, state.Peers.Count, DownAfterMs(state), state.Options.FailoverTimeoutMs);

    private static int DownAfterMs(SentinelState state) => state.DownAfterMs;

    private static RespValue CkQuorum(SentinelGroupView view)
    {
        var up = view.UpVoters.ToString(CultureInfo.InvariantCulture);
        var quorum = view.Quorum.ToString(CultureInfo.InvariantCulture);
        return view.UpVoters >= view.Quorum
            ? RespValue.Simple($"OK {up} usable members. Quorum ({quorum}) and failover authorization can be reached")
            : RespValue.Error($"NOQUORUM {up} usable members. Not enough available members to reach the quorum ({quorum}) and authorize a failover");
    }

    private static async Task<RespValue> FailoverAsync(SentinelState state, string group, CancellationToken cancellationToken)
    {
        var outcome = await state.Failover(group, cancellationToken).ConfigureAwait(false);
        var message = Shown(outcome.Message);
        return outcome.Result switch
        {
            SwitchoverResult.Completed => RespValue.Simple("OK"),
            SwitchoverResult.InProgress => RespValue.Error($"INPROG Failover already in progress: {message}"),
            SwitchoverResult.UnknownGroup => RespValue.Error(NoSuchMaster),
            SwitchoverResult.Refused or SwitchoverResult.BadTarget => RespValue.Error($"NOGOODSLAVE No suitable replica to promote: {message}"),
            _ => RespValue.Error($"ERR failover did not complete: {message}"),
        };
    }
}
