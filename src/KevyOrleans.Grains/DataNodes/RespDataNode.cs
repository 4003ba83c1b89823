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
    private readonly bool _disconnectClients;

    /// <summary>A data node at <paramref name="host"/>:<paramref name="clientPort"/>; no connection opens until the first call.</summary>
    /// <param name="host">The node's client host.</param>
    /// <param name="clientPort">The node's client port.</param>
    /// <param name="kind">The data-node kind (kevy or Redis), which picks the dialect.</param>
    /// <param name="credentials">The <c>AUTH</c> credentials; null when the node asks for none.</param>
    /// <param name="fencePause">Redis kind: the length of each <c>CLIENT PAUSE</c> fence.</param>
    /// <param name="selfFence">Redis kind: the <c>min-replicas-*</c> self-fencing set on promote (rule 13); null = off.</param>
    /// <param name="disconnectClients">After a promote or follow, disconnect the node's clients (<see cref="DataNodeDialect.DisconnectClients"/>).</param>
    public RespDataNode(string host, int clientPort, DataNodeKind kind, DataNodeCredentials? credentials, TimeSpan fencePause,
        RedisSelfFence? selfFence = null, bool disconnectClients = false)
    {
        _disconnectClients = disconnectClients;
        _client = new RespClient(host, clientPort, credentials);
        Kind = kind;
        Dialect = DataNodeDialect.For(kind, fencePause, selfFence);
    }

    /// <summary>The data-node kind (kevy or Redis).</summary>
    public DataNodeKind Kind { get; }

    /// <summary>The commands this node's kind uses for each action.</summary>
    public DataNodeDialect Dialect { get; }

    /// <summary>The node's client address, <c>host:port</c>.</summary>
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

    /// <inheritdoc/>
    public Task PromoteAsync(CancellationToken cancellationToken) => ChangeRoleAsync(Dialect.Promote(), cancellationToken);

    /// <inheritdoc/>
    public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) =>
        ChangeRoleAsync(Dialect.Follow(primaryHost, primaryClientPort), cancellationToken);

    /// <inheritdoc/>
    public Task FenceAsync(CancellationToken cancellationToken) => SendAsync(Dialect.Fence(), cancellationToken);

    /// <inheritdoc/>
    public Task UnfenceAsync(CancellationToken cancellationToken) => SendAsync(Dialect.Unfence(), cancellationToken);

    /// <summary>A death watch (rule 14) of this node's client address; <paramref name="retry"/> paces its connects.</summary>
    /// <param name="retry">The wait between connects while the node cannot be reached, and the connect timeout.</param>
    public DataNodeDeathWatch CreateDeathWatch(TimeSpan retry) => new(_client.Host, _client.Port, retry);

    /// <summary>Close the connection to the node.</summary>
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>The kind and address, for logs.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} data node at {Endpoint}";

    /// <summary>
    /// The role change, then (when on) the clients pushed off so they re-resolve. The role change is what
    /// the election needs; the disconnect is best effort: a node that refuses <c>CLIENT KILL</c> (an older
    /// kevy) or a connection lost after the change leaves the action done, so it is never retried for it.
    /// </summary>
    private async Task ChangeRoleAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken)
    {
        await SendAsync(commands, cancellationToken).ConfigureAwait(false);
        if (!_disconnectClients)
        {
            return;
        }
        foreach (var command in DataNodeDialect.DisconnectClients)
        {
            try
            {
                await _client.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // best effort, see above; the client reconnects on the next call
            }
        }
    }

    // In order, stopping at the first failure: a REPLICAOF that failed must not be followed by the UNPAUSE.
    private async Task SendAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            await _client.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }
}
