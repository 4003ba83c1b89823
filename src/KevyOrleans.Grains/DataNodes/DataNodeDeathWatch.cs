using System.Diagnostics;
using System.Net.Sockets;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// Rule 14's monitor: one idle TCP connection to the data node that is never written to, so that the
/// moment the node's process dies (the kernel closes its sockets) the read ends at once rather than at the
/// next probe. Then it connects again at once: a refusal from a host that answers is certain death and is
/// reported; a connect that succeeds (the node closed an idle client) or times out (a hung host, a lost path)
/// is not, and the watch simply carries on. Once per death: the next report comes after the node accepted again.
/// </summary>
public sealed class DataNodeDeathWatch
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _retry;

    /// <summary>A watch of the data node at <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">The node's client host (IPv6 brackets allowed).</param>
    /// <param name="port">The node's client port.</param>
    /// <param name="retry">The wait between connects while the node cannot be reached, and the connect timeout.</param>
    public DataNodeDeathWatch(string host, int port, TimeSpan retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retry, TimeSpan.Zero);
        _host = Endpoints.Bare(host);
        _port = port;
        _retry = retry;
    }

    /// <summary>The node's address, <c>host:port</c>.</summary>
    public string Endpoint => Endpoints.Format(_host, _port);

    /// <summary>Watches until <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>); calls <paramref name="onCertainDeath"/> once per death.</summary>
    /// <param name="onCertainDeath">Called when a connect is refused after the node was reachable (or at the start).</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    public async Task RunAsync(Func<Task> onCertainDeath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onCertainDeath);
        var reported = false;
        var buffer = new byte[16];
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            var outcome = await ConnectAsync(socket, cancellationToken).ConfigureAwait(false);
            if (outcome == SocketError.ConnectionRefused)
            {
                if (!reported)
                {
                    reported = true;
                    await onCertainDeath().ConfigureAwait(false);
                }
                await Task.Delay(_retry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (outcome != SocketError.Success)
            {
                await Task.Delay(_retry, cancellationToken).ConfigureAwait(false); // ambiguous: never certain
                continue;
            }
            reported = false;
            var connectedAt = Stopwatch.GetTimestamp();
            try
            {
                // Nothing is ever sent, so the node never answers: this ends only when the connection does.
                await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // reset: the reconnect below decides whether the process is gone
            }
            if (Stopwatch.GetElapsedTime(connectedAt) < _retry)
            {
                // A node that closes new connections at once (maxclients, a proxy) is not polled in a tight loop.
                await Task.Delay(_retry, cancellationToken).ConfigureAwait(false);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<SocketError> ConnectAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_retry);
        try
        {
            await socket.ConnectAsync(_host, _port, deadline.Token).ConfigureAwait(false);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SocketError.TimedOut;
        }
    }
}
