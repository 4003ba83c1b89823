using System.Net.Sockets;
using KevyOrleans.Protocol;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>
/// A small RESP2 client for one data node: one connection, opened on first use, one command at a time.
/// </summary>
/// <remarks>
/// <para>Why our own rather than StackExchange.Redis: every call here has a hard deadline taken from the
/// caller's token (connect, AUTH and reply alike), with no background multiplexer that reconnects,
/// heartbeats or queues on its own schedule; admin commands (<c>REPLICAOF</c>, <c>CLIENT PAUSE</c>) need
/// no <c>allowAdmin</c>; and the agent sends only a handful of commands.</para>
/// <para>Any failure (an error reply, a timeout, a reset, a malformed reply) drops the connection, so
/// the next call starts from a fresh one: a connection whose reply is late or half read is never reused.</para>
/// </remarks>
public sealed class RespClient : IAsyncDisposable
{
    private readonly DataNodeCredentials? _credentials;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RespConnection? _connection;
    private bool _disposed;

    /// <summary>A client of the data node at <paramref name="host"/>:<paramref name="port"/>; it connects on the first command.</summary>
    /// <param name="host">The node's host; an IPv6 host may be in brackets.</param>
    /// <param name="port">The node's client port.</param>
    /// <param name="credentials">Sent with <c>AUTH</c> after each connect; null when the node asks for none.</param>
    public RespClient(string host, int port, DataNodeCredentials? credentials = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        // The member list writes IPv6 hosts in brackets; sockets and REPLICAOF want them bare.
        Host = Endpoints.Bare(host);
        Port = port;
        _credentials = credentials;
    }

    /// <summary>The node's host, without IPv6 brackets.</summary>
    public string Host { get; }

    /// <summary>The node's client port.</summary>
    public int Port { get; }

    /// <summary>The node's address, <c>host:port</c>, as error messages name it.</summary>
    public string Endpoint => Endpoints.Format(Host, Port);

    /// <summary>True while a connection is open (it is opened by the first call after a drop).</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>
    /// Sends <paramref name="command"/> and returns its reply. Throws <see cref="RespServerException"/>
    /// with the server's text on an error reply, <see cref="OperationCanceledException"/> when the
    /// deadline passes, <see cref="IOException"/> when the data node cannot be reached.
    /// </summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var stage = "connect";
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _connection ??= await RespConnection.OpenAsync(Host, Port, _credentials, cancellationToken).ConfigureAwait(false);
            stage = command[0];
            var reply = await connection.SendAsync(command, cancellationToken).ConfigureAwait(false);
            if (reply.Kind == RespKind.Error)
            {
                throw new RespServerException($"{Endpoint}: {Describe(command)}: {reply.Text}");
            }
            return reply;
        }
        catch (Exception e) when (Explain(e, stage, cancellationToken) is { } explained)
        {
            await DropAsync().ConfigureAwait(false);
            throw explained;
        }
        catch
        {
            await DropAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Close the connection; a command in flight ends with an error and later calls throw.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        // Closing the socket ends a call in flight; waiting for the gate would wait for its deadline.
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A failure restated with the endpoint and the stage it failed in; null to rethrow as is.</summary>
    private Exception? Explain(Exception e, string stage, CancellationToken cancellationToken)
    {
        var socket = e as SocketException ?? e.InnerException as SocketException;
        return e switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested =>
                new OperationCanceledException($"{Endpoint}: no answer to {stage} before the deadline", e, cancellationToken),
            EndOfStreamException => new IOException($"{Endpoint}: the data node closed the connection during {stage}", e),
            _ when socket is not null => new IOException($"{Endpoint}: {stage} failed: {socket.SocketErrorCode} ({socket.Message})", e),
            _ => null,
        };
    }

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The verb and, for CLIENT/CONFIG style commands, the subcommand; never AUTH's arguments.
    private static string Describe(IReadOnlyList<string> command) =>
        command.Count > 1 && command[0].Equals("CLIENT", StringComparison.OrdinalIgnoreCase) ? $"{command[0]} {command[1]}" : command[0];
}
