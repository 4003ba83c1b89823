using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Inbound;

/// <summary>
/// Reads kevy-elect frames from one accepted connection until the peer closes it, it goes idle, or it
/// sends something that is not a valid frame. Nothing is ever written back (kevy answers over its own
/// outbound connection). Memory is bounded by the frame cap: an unfinished frame larger than the cap
/// is rejected, so a slow sender holds at most that much, and no thread (the read is asynchronous).
/// </summary>
internal sealed class InboundConnection(
    Socket socket,
    ElectListener listener,
    TimeSpan idleTimeout,
    int frameCap,
    GatewayMetrics metrics,
    ILogger logger)
{
    private readonly string _remote = socket.RemoteEndPoint?.ToString() ?? "?";
    private bool _loggedFrameDrop;

    public async Task RunAsync(CancellationToken stopping)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 512));
        try
        {
            await ReadFramesAsync(reader, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The peer reset the connection or the listener is closing: nothing to report.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadFramesAsync(PipeReader reader, CancellationToken stopping)
    {
        while (true)
        {
            ReadResult result;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                idle.CancelAfter(idleTimeout);
                try
                {
                    result = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    Drop("idle", $"sent nothing for {idleTimeout.TotalMilliseconds:0} ms");
                    return;
                }
            }
            var buffer = result.Buffer;
            var rejected = Decode(ref buffer);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (rejected || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Hands every whole frame to the member; true when the connection must be dropped.</summary>
    private bool Decode(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            var status = FrameDecoder.TryDecode(buffer, out var message, out var consumed, frameCap);
            switch (status)
            {
                case DecodeStatus.Ok:
                    buffer = buffer.Slice(consumed);
                    Accept(message);
                    break;
                case DecodeStatus.Incomplete:
                    buffer = buffer.Slice(consumed);
                    return false;
                default:
                    Drop(ReasonOf(status), Describe(status));
                    return true;
            }
        }
    }

    private void Accept(in ElectionMessage message)
    {
        var sender = message.SenderId;
        string? reason = sender == listener.Member ? "self" : !listener.Group.Group.Members.Contains(sender) ? "stranger" : null;
        if (reason is null)
        {
            metrics.FrameIn(message.Verb);
            listener.Deliver(message);
            return;
        }
        // Only members speak (rule 6): drop the frame, keep the connection, count it.
        metrics.Rejected(reason);
        if (!_loggedFrameDrop)
        {
            _loggedFrameDrop = true;
            InboundLog.FrameDropped(logger, listener.Name, _remote,
                reason == "self" ? $"sender '{sender}' is this member" : $"sender '{sender}' is not a member of group '{listener.Group.Name}'");
        }
    }

    private void Drop(string reason, string detail)
    {
        metrics.Rejected(reason);
        InboundLog.ConnectionDropped(logger, listener.Name, _remote, detail);
    }

    private static string ReasonOf(DecodeStatus status) => status switch
    {
        DecodeStatus.BadEnvelope => "bad-envelope",
        DecodeStatus.WrongShape => "wrong-shape",
        DecodeStatus.BadNumeric => "bad-numeric",
        DecodeStatus.BadRole => "bad-role",
        DecodeStatus.FrameTooLarge => "frame-too-large",
        _ => status.ToString(),
    };

    private string Describe(DecodeStatus status) => status switch
    {
        DecodeStatus.BadEnvelope => "not a RESP array of bulk strings",
        DecodeStatus.WrongShape => "unknown verb or wrong element count",
        DecodeStatus.BadNumeric => "an epoch or offset is not a decimal u64",
        DecodeStatus.BadRole => "a role is not primary, replica or candidate",
        DecodeStatus.FrameTooLarge => $"a frame exceeds the cap of {frameCap} bytes",
        _ => status.ToString(),
    };
}
