using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KevyOrleans.Gateway.Security;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// The Sentinel endpoint's TCP listener. Admission, like the elect listeners': fewer than
/// <see cref="SentinelOptions.MaxConnections"/> open (<c>too-many-connections</c>) and fewer than
/// <see cref="SentinelOptions.MaxConnectionsPerSource"/> from the source address (<c>too-many-from-source</c>);
/// a refused socket is closed at once and counted. Any failure setting up one connection closes that
/// connection only (<c>accept-failed</c>), never the accept loop.
/// </summary>
internal sealed class SentinelListener(SentinelState state, IPEndPoint endpoint, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly ConnectionsPerSource _perSource = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private long _nextId;

    /// <summary>The bound endpoint (its port is the real one when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; private set; } = endpoint;

    public int OpenConnections => _connections.Count;

    /// <summary>Binds and starts accepting; throws naming the endpoint when the port cannot be bound.</summary>
    public void Start()
    {
        var socket = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(Endpoint);
            socket.Listen(128);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot open the Sentinel endpoint on {Endpoint} ({SentinelOptions.SectionName}:{nameof(SentinelOptions.Port)}): {e.Message}", e);
        }
        _socket = socket;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
        state.Port = Endpoint.Port;
        SentinelLog.Listening(logger, Endpoint.ToString());
        _acceptLoop = Task.Run(() => AcceptAsync(_stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client gave up while waiting in the backlog
            }
            try
            {
                Admit(client, stopping);
            }
#pragma warning disable CA1031 // one connection's failure never ends the accept loop
            catch (Exception e)
#pragma warning restore CA1031
            {
                client.Dispose();
                state.Metrics.Rejected("accept-failed");
                SentinelLog.AcceptFailed(logger, e);
            }
        }
    }

    private void Admit(Socket client, CancellationToken stopping)
    {
        var remote = client.RemoteEndPoint as IPEndPoint ?? throw new InvalidOperationException("an accepted connection has no remote endpoint");
        var source = SourceAddresses.Normalize(remote.Address);
        var options = state.Options;
        if (_connections.Count >= options.MaxConnections)
        {
            Refuse(client, remote, "too-many-connections", $"{_connections.Count} connections are open ({nameof(SentinelOptions.MaxConnections)})");
            return;
        }
        if (!_perSource.TryTake(source, options.MaxConnectionsPerSource, out _))
        {
            Refuse(client, remote, "too-many-from-source", $"{options.MaxConnectionsPerSource} connections from {source} are open ({nameof(SentinelOptions.MaxConnectionsPerSource)})");
            return;
        }
        try
        {
            client.NoDelay = true;
            var connection = new SentinelConnection(client, state, Interlocked.Increment(ref _nextId), remote.ToString(), logger, stopping);
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var run = Task.Run(async () =>
            {
                await registered.Task.ConfigureAwait(false);
                await connection.RunAsync().ConfigureAwait(false);
            }, CancellationToken.None);
            _connections[client] = run;
            state.Metrics.Connections(1);
            registered.SetResult();
            _ = run.ContinueWith(_ =>
            {
                _connections.TryRemove(client, out Task? _);
                _perSource.Release(source);
                state.Metrics.Connections(-1);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch
        {
            _perSource.Release(source);
            throw;
        }
    }

    private void Refuse(Socket client, IPEndPoint remote, string reason, string detail)
    {
        client.Dispose();
        state.Metrics.Rejected(reason);
        SentinelLog.ConnectionRefused(logger, remote.ToString(), reason, detail);
    }
}
