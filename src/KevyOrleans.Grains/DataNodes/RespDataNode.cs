using KevyOrleans.Grains.DataNodes.Resp;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// A kevy or Redis data node driven over RESP: probes with <c>PING</c> and <c>INFO replication</c>, and
/// carries out promote, follow, fence and unfence with the commands of its kind's
/// <see cref="DataNodeDialect"/>. One connection, reopened by the next call after any failure; every
/// call bounded by the caller's token.
/// </summary>
public sealed class RespDataNode : IDataNode, IAsyncDisposable
{
    private static readonly string[] Ping = ["PING"];
    private static readonly string[] InfoReplication = ["INFO", "replication"];
    private readonly RespClient _client;

    /// <param name="selfFence">Redis kind: the <c>min-replicas-*</c> self-fencing set on promote (rule 13); null = off.</param>
    public RespDataNode(string host, int clientPort, DataNodeKind kind, DataNodeCredentials? credentials, TimeSpan fencePause,
        RedisSelfFence? selfFence = null)
    {
        _client = new RespClient(host, clientPort, credentials);
        Kind = kind;
        Dialect = DataNodeDialect.For(kind, fencePause, selfFence);
    }

    public DataNodeKind Kind { get; }

    public DataNodeDialect Dialect { get; }

    public string Endpoint => _client.Endpoint;

    /// <summary>Alive = answered PING; then what INFO replication says. Throws when either fails.</summary>
    public async Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        var pong = await _client.ExecuteAsync(Ping, cancellationToken).ConfigureAwait(false);
        if (pong.Kind != RespKind.SimpleString || !string.Equals(pong.Text, "PONG", StringComparison.OrdinalIgnoreCase))
        {
            throw new RespProtocolException($"{Endpoint}: PING answered {pong}");
        }
        var info = await _client.ExecuteAsync(InfoReplication, cancellationToken).ConfigureAwait(false);
        if (info.Kind != RespKind.BulkString)
        {
            throw new RespProtocolException($"{Endpoint}: INFO replication answered {info}");
        }
        return ReplicationInfo.Parse(info.Text!);
    }

    public Task PromoteAsync(CancellationToken cancellationToken) => SendAsync(Dialect.Promote(), cancellationToken);

    public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) =>
        SendAsync(Dialect.Follow(primaryHost, primaryClientPort), cancellationToken);

    public Task FenceAsync(CancellationToken cancellationToken) => SendAsync(Dialect.Fence(), cancellationToken);

    public Task UnfenceAsync(CancellationToken cancellationToken) => SendAsync(Dialect.Unfence(), cancellationToken);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} data node at {Endpoint}";

    // In order, stopping at the first failure: a REPLICAOF that failed must not be followed by the UNPAUSE.
    private async Task SendAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            await _client.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }
}
