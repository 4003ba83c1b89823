using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Outbound;

/// <summary>
/// One persistent TCP connection from this silo to one external member's elect port, carrying the frames
/// of one hosted member. A background loop connects, writes queued frames, and on any failure backs off
/// and reconnects; callers only ever queue.
/// </summary>
/// <remarks>
/// <para>Nothing is read from the connection (kevy answers over its own connection). A receive loop still
/// runs, only to notice the peer closing (zero-byte read or reset), so the link reconnects before it
/// writes into a dead socket rather than after.</para>
/// <para>Frames taken for a write that failed are put back at the front of the queue, not dropped as kevy
/// does: the peer may have received some of them, but every kevy-elect message is safe to receive twice
/// (a heartbeat restates state; OFFER, ACCEPT and ANNOUNCE carry their epoch), while losing an OFFER or
/// ANNOUNCE costs an election round. The queue's bound and overflow policy apply to them as usual.</para>
/// <para>Backoff after the n-th consecutive failure: <c>min(base x 2^(n-1), max)</c> plus a random 0..50%,
/// so links of one silo to a restarted peer do not reconnect in lock step.</para>
/// </remarks>
public sealed class OutboundLink : IAsyncDisposable
{
    /// <summary>A dead peer logs its first failure and then every this-many-th one.</summary>
    internal const int LogEveryNthFailure = 50;

    // Frames per write: batching saves syscalls when a burst is queued, the cap bounds the put-back on failure.
    private const int MaxBatchFrames = 64;

    private readonly OutboundQueue _queue;
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly GatewayTls? _tls;
    private readonly Lock _enqueueGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _closed;
    private volatile bool _draining;
    private volatile bool _connected;
    private long _lastUsed;
    private Task? _stopTask;

    /// <param name="key">Group, hosted sender and external receiver.</param>
    /// <param name="host">The receiver's host (IP address or DNS name, resolved on every connect).</param>
    /// <param name="port">The receiver's elect port.</param>
    /// <param name="random">Jitter source; used by the link's loop only. Defaults to <see cref="Random.Shared"/>.</param>
    /// <param name="tls">When its <see cref="GatewayTls.Outbound"/> is on, every connection speaks TLS, checking the peer's certificate against <paramref name="host"/>.</param>
    /// <param name="options">The gateway options (queue capacity, reconnect backoff, timeouts).</param>
    /// <param name="metrics">Where the link counts frames, drops, connections and reconnects.</param>
    /// <param name="logger">Where the link logs connects, failures and drops.</param>
    /// <param name="time">Clock for backoff and idle time; <see cref="TimeProvider.System"/> when null.</param>
    public OutboundLink(OutboundLinkKey key, string host, int port, GatewayOptions options, GatewayMetrics metrics, ILogger logger,
        TimeProvider? time = null, Random? random = null, GatewayTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        Key = key;
        Host = Endpoints.Bare(host);
        Port = port;
        Remote = $"{host}:{port}";
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _tls = tls is { Outbound: true } ? tls : null;
        _queue = new OutboundQueue(options.QueueCapacity, metrics.Dropped, d => metrics.QueueDepthChanged(d));
        _lastUsed = _time.GetTimestamp();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Group, hosted sender and external receiver of this link.</summary>
    public OutboundLinkKey Key { get; }

    /// <summary>The receiver's host, without IPv6 brackets.</summary>
    public string Host { get; }

    /// <summary>The receiver's elect port.</summary>
    public int Port { get; }

    /// <summary><c>host:port</c>, for logs.</summary>
    public string Remote { get; }

    /// <summary>Frames waiting to be written.</summary>
    public int QueueDepth => _queue.Count;

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected => _connected;

    /// <summary>After this long without a frame, <see cref="OutboundLinks"/> retires the link. Never, by default.</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.MaxValue;

    /// <summary>How long since a frame was last queued (or the link was created).</summary>
    public TimeSpan IdleFor => _time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <summary>Queues a frame; never blocks, never throws on network state. After stop, the frame is dropped and counted.</summary>
    /// <exception cref="ArgumentException">The message cannot be encoded (no sender id, non-ASCII id): a caller's bug, refused here so the writer never meets it.</exception>
    public void Enqueue(in ElectionMessage message)
    {
        if (!TryEnqueue(message))
        {
            _metrics.Dropped(message.Verb);
        }
    }

    /// <summary>Queues a frame unless the link is stopping; false then (the caller may take a fresh link).</summary>
    internal bool TryEnqueue(in ElectionMessage message)
    {
        _ = FrameEncoder.GetEncodedLength(message);
        lock (_enqueueGate)
        {
            if (_closed)
            {
                return false;
            }
            Interlocked.Exchange(ref _lastUsed, _time.GetTimestamp());
            _queue.Enqueue(message);
            return true;
        }
    }

    /// <summary>
    /// Closes the link to new frames if nothing was queued for <see cref="IdleAfter"/>; atomic with
    /// <see cref="TryEnqueue"/>, so a frame is never accepted by a link that is being retired.
    /// </summary>
    internal bool TryCloseIfIdle()
    {
        lock (_enqueueGate)
        {
            if (_closed || IdleFor < IdleAfter)
            {
                return false;
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>
    /// Stops taking frames, keeps writing (and reconnecting) until the queue is empty or <paramref name="drain"/>
    /// has passed, then closes. Frames still queued then are dropped and counted. Idempotent.
    /// </summary>
    public Task StopAsync(TimeSpan drain)
    {
        lock (_enqueueGate)
        {
            _closed = true;
            return _stopTask ??= StopCoreAsync(drain);
        }
    }

    /// <summary>Stops the link at once, dropping (and counting) any frames still queued.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);

    /// <summary>The delay before reconnect attempt number <paramref name="failures"/> (1-based).</summary>
    internal static TimeSpan Backoff(int failures, int baseMs, int maxMs, Random random)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ms = Math.Min(baseMs * Math.Pow(2, doublings), maxMs);
        return TimeSpan.FromMilliseconds(ms * (1 + (0.5 * random.NextDouble())));
    }

    private async Task StopCoreAsync(TimeSpan drain)
    {
        _draining = true;
        _queue.ReleaseWaiters();
        if (drain > TimeSpan.Zero)
        {
            try
            {
                await _loop.WaitAsync(drain, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Drain time is up: what is left is dropped below.
            }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        var left = new List<ElectionMessage>();
        _queue.DequeueBatch(left, int.MaxValue);
        foreach (var m in left)
        {
            _metrics.Dropped(m.Verb);
        }
        if (left.Count > 0)
        {
            OutboundLog.DrainIncomplete(_logger, Key.Group, Key.From, Key.To, Remote, left.Count);
        }
    }

    private async Task RunAsync()
    {
        var failures = 0;
        var batch = new List<ElectionMessage>(MaxBatchFrames);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (!_stop.IsCancellationRequested && !(_draining && _queue.Count == 0))
            {
                (Socket Socket, Stream Stream) connection;
                try
                {
                    connection = await ConnectAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or AuthenticationException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
                {
                    failures++;
                    LogConnectFailure(failures, e);
                    await BackOffAsync(failures).ConfigureAwait(false);
                    continue;
                }
                if (failures > 0)
                {
                    OutboundLog.Recovered(_logger, Key.Group, Key.From, Key.To, Remote, failures);
                }
                else
                {
                    OutboundLog.Connected(_logger, Key.Group, Key.From, Key.To, Remote);
                }
                failures = 0;
                if (!await RunConnectionAsync(connection.Socket, connection.Stream, batch, buffer).ConfigureAwait(false))
                {
                    failures = 1;
                    await BackOffAsync(failures).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Hard stop: the frames left in the queue are counted by StopCoreAsync.
        }
        catch (Exception e)
        {
            // A bug, not a network state: say so loudly rather than leave a link that silently stopped writing.
            OutboundLog.LoopFailed(_logger, Key.Group, Key.From, Key.To, Remote, e);
        }
    }

    /// <summary>Connects, and with TLS on completes the handshake within <see cref="GatewayOptions.HandshakeTimeoutMs"/>.</summary>
    private async Task<(Socket Socket, Stream Stream)> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        // A literal address gets a socket of its family; a name gets a dual-mode socket, and ConnectAsync then
        // resolves it afresh on every attempt (a peer back on a new address is found) and tries each address
        // in turn (a "localhost" that resolves to ::1 first still reaches a peer listening on 127.0.0.1).
        EndPoint endpoint = IPAddress.TryParse(Host, out var address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host, Port);
        var socket = address is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
            var network = new NetworkStream(socket, ownsSocket: false);
            if (_tls is null)
            {
                return (socket, network);
            }
            using var handshake = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.HandshakeTimeoutMs), _time);
            using var secured = CancellationTokenSource.CreateLinkedTokenSource(handshake.Token, _stop.Token);
            return (socket, await _tls.AuthenticateAsClientAsync(network, Host, secured.Token).ConfigureAwait(false));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <returns>True when the link finished draining; false when the connection failed.</returns>
    private async Task<bool> RunConnectionAsync(Socket socket, Stream stream, List<ElectionMessage> batch, ArrayBufferWriter<byte> buffer)
    {
        _metrics.ConnectionOpened("out");
        _connected = true;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var watcher = WatchForCloseAsync(stream, connection);
        try
        {
            await WriteLoopAsync(stream, batch, buffer, connection.Token).ConfigureAwait(false);
            if (stream is System.Net.Security.SslStream ssl)
            {
                await ssl.ShutdownAsync().ConfigureAwait(false);
            }
            socket.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? "closed by the peer" : (e.InnerException as SocketException)?.Message ?? e.Message;
            OutboundLog.ConnectionLost(_logger, Key.Group, Key.From, Key.To, Remote, reason, batch.Count);
            return false;
        }
        finally
        {
            // Undelivered frames of a failed write go back in front; on a hard stop they are counted as dropped.
            _queue.RequeueFront(batch);
            batch.Clear();
            buffer.ResetWrittenCount();
            _connected = false;
            socket.Dispose();
            await watcher.ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            _metrics.ConnectionClosed("out");
        }
    }

    private async Task WriteLoopAsync(Stream stream, List<ElectionMessage> batch, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_queue.DequeueBatch(batch, MaxBatchFrames) == 0)
            {
                if (_draining)
                {
                    return;
                }
                await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            foreach (var message in batch)
            {
                FrameEncoder.Write(buffer, message);
            }
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            foreach (var message in batch)
            {
                _metrics.FrameOut(message.Verb);
            }
            batch.Clear();
            buffer.ResetWrittenCount();
        }
    }

    // Reads (and discards) until the peer closes or resets, then cancels the connection's token.
    private static async Task WatchForCloseAsync(Stream stream, CancellationTokenSource connection)
    {
        var sink = new byte[64];
        try
        {
            while (await stream.ReadAsync(sink, connection.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Either way the connection is over; the writer learns it from the token.
        }
        await connection.CancelAsync().ConfigureAwait(false);
    }

    private async Task BackOffAsync(int failures)
    {
        _metrics.Reconnect();
        var delay = Backoff(failures, _options.ReconnectBaseBackoffMs, _options.ReconnectMaxBackoffMs, _random);
        await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
    }

    private void LogConnectFailure(int failures, Exception e)
    {
        var reason = e is OperationCanceledException ? $"timed out after {_options.ConnectTimeoutMs} ms" : e.Message;
        if (failures == 1)
        {
            OutboundLog.ConnectFailed(_logger, Key.Group, Key.From, Key.To, Remote, reason);
        }
        else if (failures % LogEveryNthFailure == 0)
        {
            OutboundLog.StillFailing(_logger, Key.Group, Key.From, Key.To, Remote, failures, reason);
        }
    }
}
