using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using KevyOrleans.Protocol.Resp;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// One client of the Sentinel endpoint: reads commands (RESP arrays of bulk strings, or inline commands)
/// with the shared RESP reader, answers them in order, and in subscriber mode also takes events. Replies
/// and events go through one bounded queue to one writer, so a subscriber that stops reading costs at most
/// <see cref="SentinelOptions.MaxPendingReplies"/> replies before it is closed (<c>slow-subscriber</c>).
/// Bytes that are not RESP close the connection (<c>malformed</c>), so do requests over
/// <see cref="SentinelOptions.MaxRequestBytes"/> (<c>request-too-large</c>); an unknown command is an error
/// reply and the connection stays.
/// </summary>
internal sealed class SentinelConnection : ISentinelSubscriber
{
    private readonly Socket _socket;
    private readonly SentinelState _state;
    private readonly SentinelSession _session;
    private readonly string _remote;
    private readonly ILogger _logger;
    private readonly Channel<RespValue> _out;
    private readonly CancellationTokenSource _closing;
    private int _closed; // 1 once the connection is closing: events are no longer taken, a close is counted once

    public SentinelConnection(Socket socket, SentinelState state, long id, string remote, ILogger logger, CancellationToken stopping)
    {
        _socket = socket;
        _state = state;
        _remote = remote;
        _logger = logger;
        _session = new SentinelSession(state, id);
        _out = Channel.CreateBounded<RespValue>(new BoundedChannelOptions(state.Options.MaxPendingReplies) { SingleReader = true });
        _closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public async Task RunAsync()
    {
        await using var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 512, leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var writing = WriteAsync(writer);
        try
        {
            await ReadAsync(reader, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, the endpoint is stopping, or the connection was closed for a reason already counted.
        }
        finally
        {
            Interlocked.Exchange(ref _closed, 1);
            _state.Hub.Remove(this);
            _out.Writer.TryComplete();
            await writing.ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await writer.CompleteAsync().ConfigureAwait(false); // flushes what a closed connection left unwritten
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // the socket is gone: nothing left to write to
            }
            _closing.Dispose();
        }
    }

    /// <summary>An event from the hub: queued when a subscription matches; a full queue closes the connection.</summary>
    public void Offer(SentinelEvent e)
    {
        var (pattern, match) = _session.Matches(e);
        if (!match || Volatile.Read(ref _closed) == 1)
        {
            return;
        }
        var message = pattern is null
            ? RespValue.Array([RespValue.Bulk("message"), RespValue.Bulk(e.Channel), RespValue.Bulk(e.Payload)])
            : RespValue.Array([RespValue.Bulk("pmessage"), RespValue.Bulk(pattern), RespValue.Bulk(e.Channel), RespValue.Bulk(e.Payload)]);
        if (!_out.Writer.TryWrite(message))
        {
            Close("slow-subscriber", $"{_state.Options.MaxPendingReplies} replies and events were not read ({nameof(SentinelOptions.MaxPendingReplies)})");
        }
    }

    private async Task ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (true)
            {
                var status = SentinelRequest.TryRead(ref buffer, _state.Options.MaxRequestBytes, out var args, out var error);
                if (status == RespStatus.Incomplete)
                {
                    break;
                }
                if (status != RespStatus.Ok)
                {
                    reader.AdvanceTo(buffer.Start);
                    Close(status == RespStatus.AboveLimit ? "request-too-large" : "malformed", error ?? "not RESP");
                    return;
                }
                if (args is null)
                {
                    continue; // an empty request, as Redis skips one
                }
                _state.Metrics.Command(SentinelRequest.CommandTag(args[0]));
                await _session.ExecuteAsync(args, Reply, this, cancellationToken).ConfigureAwait(false);
                if (_session.Quitting)
                {
                    reader.AdvanceTo(buffer.Start);
                    return;
                }
            }
            if (buffer.Length > _state.Options.MaxRequestBytes)
            {
                reader.AdvanceTo(buffer.Start);
                Close("request-too-large", $"a request is longer than {_state.Options.MaxRequestBytes} bytes ({nameof(SentinelOptions.MaxRequestBytes)})");
                return;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private ValueTask Reply(RespValue value) => _out.Writer.WriteAsync(value, _closing.Token);

    private async Task WriteAsync(PipeWriter writer)
    {
        try
        {
            while (await _out.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (_out.Reader.TryRead(out var value))
                {
                    RespWriter.WriteValue(writer, value);
                }
                var flushed = await writer.FlushAsync(_closing.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            CloseQuietly();
        }
    }

    private void Close(string reason, string detail)
    {
        if (Volatile.Read(ref _closed) == 1)
        {
            return;
        }
        _state.Metrics.Rejected(reason);
        SentinelLog.ConnectionClosed(_logger, _remote, reason, detail);
        CloseQuietly();
    }

    private void CloseQuietly()
    {
        Interlocked.Exchange(ref _closed, 1);
        _out.Writer.TryComplete();
        try
        {
            _closing.Cancel();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // already closed
        }
    }
}
