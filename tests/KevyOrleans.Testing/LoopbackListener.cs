using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Testing;

/// <summary>
/// The accept loop every scripted TCP peer of the tests shares: listens on 127.0.0.1, hands each
/// accepted connection (with <c>NoDelay</c>) to <c>serve</c> without waiting for it, keeps listening
/// when a client gave up in the backlog, and on dispose stops listening, cancels
/// <see cref="Stopping"/> and closes every connection it accepted. What a peer does with a
/// connection is the peer's own.
/// </summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<TcpClient, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TcpClient> _clients = new();
    private readonly Task _accepting;
    private int _accepted;

    /// <summary>Starts listening on <paramref name="port"/> (0: any free port) at once.</summary>
    /// <param name="port">The loopback port to listen on; 0 lets the system choose.</param>
    /// <param name="serve">Runs once per accepted connection, with <see cref="Stopping"/>.</param>
    public LoopbackListener(int port, Func<TcpClient, CancellationToken, Task> serve)
    {
        _serve = serve;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections it has accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Cancelled when the listener is disposed.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Stops listening and closes every accepted connection; the serving tasks end on their own.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopping
        }
        while (_clients.TryDequeue(out var client))
        {
            client.Dispose();
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                continue; // a client gave up while waiting in the backlog (ECONNABORTED); keep listening like a real peer
            }
            client.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            _clients.Enqueue(client);
            _ = _serve(client, _stop.Token);
        }
    }
}
