using System.Security.Cryptography;
using System.Text;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// One connection's command state: authentication, HELLO, and subscriber mode with its channels and
/// patterns. Commands run one at a time (the connection's read loop); <see cref="Matches"/> is called
/// from publishers at any time, so the subscriptions are under a lock.
/// </summary>
internal sealed class SentinelSession(SentinelState state, long id)
{
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);
    private readonly Lock _subscriptions = new();
    private bool _authenticated = string.IsNullOrEmpty(state.Options.Password);

    /// <summary>True once the connection subscribed to a channel or pattern and until it unsubscribed from all.</summary>
    public bool Subscribed { get; private set; }

    /// <summary>True after QUIT: the connection closes once the reply is written.</summary>
    public bool Quitting { get; private set; }

    /// <summary>Runs one command; its replies go to <paramref name="reply"/> in order.</summary>
    /// <param name="args">The command and its arguments.</param>
    /// <param name="reply">Takes each reply (SUBSCRIBE answers once per channel).</param>
    /// <param name="subscriber">The connection, for the hub.</param>
    /// <param name="cancellationToken">The connection closing.</param>
    public async ValueTask ExecuteAsync(IReadOnlyList<string> args, Func<RespValue, ValueTask> reply, ISentinelSubscriber subscriber, CancellationToken cancellationToken)
    {
        var command = args[0].ToUpperInvariant();
        if (command == "QUIT")
        {
            Quitting = true;
            await reply(RespValue.Simple("OK")).ConfigureAwait(false);
            return;
        }
        if (command == "AUTH")
        {
            await reply(Auth(args)).ConfigureAwait(false);
            return;
        }
        if (command == "HELLO")
        {
            await reply(Hello(args)).ConfigureAwait(false);
            return;
        }
        if (!_authenticated)
        {
            await reply(RespValue.Error("NOAUTH Authentication required.")).ConfigureAwait(false);
            return;
        }
        switch (command)
        {
            case "SUBSCRIBE" or "PSUBSCRIBE" when args.Count >= 2:
                await SubscribeAsync(args, command == "PSUBSCRIBE", reply, subscriber).ConfigureAwait(false);
                return;
            case "UNSUBSCRIBE" or "PUNSUBSCRIBE":
                await UnsubscribeAsync(args, command == "PUNSUBSCRIBE", reply, subscriber).ConfigureAwait(false);
                return;
            case "SUBSCRIBE" or "PSUBSCRIBE":
                await reply(SentinelCommands.Arity(args[0].ToLowerInvariant())).ConfigureAwait(false);
                return;
            case "PING" when Subscribed:
                await reply(SentinelReplies.Bulks("pong", args.Count > 1 ? args[1] : "")).ConfigureAwait(false);
                return;
        }
        if (Subscribed)
        {
            await reply(RespValue.Error($"ERR Can't execute '{SentinelCommands.Shown(args[0].ToLowerInvariant())}': only (P)SUBSCRIBE / (P)UNSUBSCRIBE / PING / QUIT are allowed in this context")).ConfigureAwait(false);
            return;
        }
        var answer = command switch
        {
            "PING" when args.Count == 1 => RespValue.Simple("PONG"),
            "PING" when args.Count == 2 => RespValue.Bulk(args[1]),
            "PING" => SentinelCommands.Arity("ping"),
            "INFO" => SentinelCommands.Info(state, args),
            "ROLE" when args.Count == 1 => SentinelCommands.Role(state),
            "ROLE" => SentinelCommands.Arity("role"),
            "SENTINEL" => await SentinelCommands.SentinelAsync(state, args, cancellationToken).ConfigureAwait(false),
            _ => SentinelCommands.Unknown(args),
        };
        await reply(answer).ConfigureAwait(false);
    }

    /// <summary>The channel or pattern of this session that <paramref name="e"/> matches: (null, true) for a channel, (pattern, true) for a pattern.</summary>
    public (string? Pattern, bool Match) Matches(SentinelEvent e)
    {
        lock (_subscriptions)
        {
            if (_channels.Contains(e.Channel))
            {
                return (null, true);
            }
            foreach (var p in _patterns)
            {
                if (GlobPattern.IsMatch(p, e.Channel))
                {
                    return (p, true);
                }
            }
            return (null, false);
        }
    }

    private RespValue Auth(IReadOnlyList<string> args)
    {
        if (args.Count is < 2 or > 3)
        {
            return SentinelCommands.Arity("auth");
        }
        if (string.IsNullOrEmpty(state.Options.Password))
        {
            return RespValue.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        }
        return TryAuthenticate(args.Count == 3 ? args[1] : "default", args[^1])
            ? RespValue.Simple("OK")
            : RespValue.Error("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private bool TryAuthenticate(string user, string password)
    {
        var expected = Encoding.UTF8.GetBytes(state.Options.Password ?? "");
        var given = Encoding.UTF8.GetBytes(password);
        var ok = user == "default" && CryptographicOperations.FixedTimeEquals(expected, given);
        _authenticated |= ok;
        return ok;
    }

    /// <summary><c>HELLO [2 [AUTH user pass] [SETNAME name]]</c>; RESP3 is refused as Redis refuses an unsupported version.</summary>
    private RespValue Hello(IReadOnlyList<string> args)
    {
        if (args.Count >= 2)
        {
            if (args[1] == "3")
            {
                return RespValue.Error("NOPROTO sorry, this protocol version is not supported");
            }
            if (args[1] != "2")
            {
                return RespValue.Error("ERR Protocol version is not an integer or out of range");
            }
        }
        for (var i = 2; i < args.Count; i++)
        {
            var option = args[i].ToUpperInvariant();
            if (option == "AUTH" && i + 2 < args.Count)
            {
                if (string.IsNullOrEmpty(state.Options.Password) || !TryAuthenticate(args[i + 1], args[i + 2]))
                {
                    return RespValue.Error("WRONGPASS invalid username-password pair or user is disabled.");
                }
                i += 2;
            }
            else if (option == "SETNAME" && i + 1 < args.Count)
            {
                i++;
            }
            else
            {
                return RespValue.Error($"ERR Syntax error in HELLO option '{SentinelCommands.Shown(args[i])}'");
            }
        }
        if (!_authenticated)
        {
            return RespValue.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        return RespValue.Array(
        [
            RespValue.Bulk("server"), RespValue.Bulk("redis"),
            RespValue.Bulk("version"), RespValue.Bulk(SentinelReplies.RedisVersion),
            RespValue.Bulk("proto"), RespValue.Number(2),
            RespValue.Bulk("id"), RespValue.Number(id),
            RespValue.Bulk("mode"), RespValue.Bulk("sentinel"),
            RespValue.Bulk("role"), RespValue.Bulk("sentinel"),
            RespValue.Bulk("modules"), RespValue.Array([]),
        ]);
    }

    private async ValueTask SubscribeAsync(IReadOnlyList<string> args, bool pattern, Func<RespValue, ValueTask> reply, ISentinelSubscriber subscriber)
    {
        if (!Subscribed)
        {
            if (!state.Hub.TryAdd(subscriber))
            {
                state.Metrics.Rejected("too-many-subscribers");
                await reply(RespValue.Error($"ERR max number of subscribers reached ({nameof(SentinelOptions.MaxSubscribers)})")).ConfigureAwait(false);
                return;
            }
            Subscribed = true;
        }
        foreach (var name in args.Skip(1))
        {
            int count;
            lock (_subscriptions)
            {
                (pattern ? _patterns : _channels).Add(name);
                count = _channels.Count + _patterns.Count;
            }
            await reply(RespValue.Array([RespValue.Bulk(pattern ? "psubscribe" : "subscribe"), RespValue.Bulk(name), RespValue.Number(count)])).ConfigureAwait(false);
        }
    }

    private async ValueTask UnsubscribeAsync(IReadOnlyList<string> args, bool pattern, Func<RespValue, ValueTask> reply, ISentinelSubscriber subscriber)
    {
        var kind = pattern ? "punsubscribe" : "unsubscribe";
        List<string> names;
        lock (_subscriptions)
        {
            names = args.Count > 1 ? [.. args.Skip(1)] : [.. pattern ? _patterns : _channels];
        }
        if (names.Count == 0)
        {
            int left;
            lock (_subscriptions)
            {
                left = _channels.Count + _patterns.Count;
            }
            await reply(RespValue.Array([RespValue.Bulk(kind), RespValue.Null, RespValue.Number(left)])).ConfigureAwait(false);
            return;
        }
        foreach (var name in names)
        {
            int count;
            lock (_subscriptions)
            {
                (pattern ? _patterns : _channels).Remove(name);
                count = _channels.Count + _patterns.Count;
            }
            if (count == 0 && Subscribed)
            {
                Subscribed = false;
                state.Hub.Remove(subscriber);
            }
            await reply(RespValue.Array([RespValue.Bulk(kind), RespValue.Bulk(name), RespValue.Number(count)])).ConfigureAwait(false);
        }
    }
}
