using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Inbound;

/// <summary>
/// Reads kevy-elect frames from one accepted connection until the peer closes it, it goes idle, or it
/// sends something that is not a valid frame. Nothing is ever written back (kevy answers over its own
/// outbound connection). Memory is bounded by the frame cap: an unfinished frame larger than the cap
/// is rejected, so a slow sender holds at most that much, and no thread (the read is asynchronous).
/// </summary>
/// <remarks>
/// <para>Until the connection has delivered one valid member frame (after its TLS handshake, if any) it
/// has <see cref="GatewayOptions.HandshakeTimeoutMs"/> from its accept, then it is closed
/// (<c>handshake-timeout</c>); after that, 3 x down_after of silence closes it (<c>idle</c>).</para>
/// <para>A well-formed frame that may not be delivered is dropped and counted, and the connection stays:
/// <c>self</c>, <c>stranger</c>, <c>hosted-member</c> (a hosted member's id never comes from TCP),
/// <c>epoch-out-of-range</c> (rule 9), <c>source-address</c> (the connection's address is not one of the
/// sender's host) and <c>rate-limited</c> (over the connection's token bucket: dropped, never queued).</para>
/// </remarks>
internal sealed class InboundConnection(
    Socket socket,
    ElectListener listener,
    IPAddress source,
    string remote,
    TimeSpan idleTimeout,
    GatewayOptions options,
    GatewayTls tls,
    GatewayMetrics metrics,
    ILogger logger,
    TimeProvider time)
{
    private readonly long _accepted = time.GetTimestamp();
    private readonly TimeSpan _handshake = TimeSpan.FromMilliseconds(options.HandshakeTimeoutMs);
    private readonly FrameRateLimiter _rate = new(options.MaxFramesPerSecond, options.FrameBurst, time);
    private bool _verified;
    private bool _loggedFrameDrop;

    public async Task RunAsync(CancellationToken stopping)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        Stream stream = network;
        try
        {
            if (tls.Inbound)
            {
                var secured = await AuthenticateAsync(network, stopping).ConfigureAwait(false);
                if (secured is null)
                {
                    return;
                }
                stream = secured;
            }
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 512, leaveOpen: true));
            try
            {
                await ReadFramesAsync(reader, stopping).ConfigureAwait(false);
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
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
            await stream.DisposeAsync().ConfigureAwait(false);
            await network.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<Stream?> AuthenticateAsync(NetworkStream network, CancellationToken stopping)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        window.CancelAfter(_handshake);
        try
        {
            return await tls.AuthenticateAsServerAsync(network, window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            Drop("handshake-timeout", $"no TLS handshake within {_handshake.TotalMilliseconds:0} ms ({nameof(GatewayOptions.HandshakeTimeoutMs)})");
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            Drop("tls-handshake", $"TLS handshake failed: {e.Message}");
        }
        return null;
    }

    private async Task ReadFramesAsync(PipeReader reader, CancellationToken stopping)
    {
        while (true)
        {
            // Silence ends any connection after the idle timeout; an unverified one also at the end of its window.
            var handshakeLeft = _handshake - time.GetElapsedTime(_accepted);
            var handshakeFirst = !_verified && handshakeLeft <= idleTimeout;
            var timeout = handshakeFirst ? handshakeLeft : idleTimeout;
            if (timeout <= TimeSpan.Zero)
            {
                DropUnverified();
                return;
            }
            ReadResult result;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                idle.CancelAfter(timeout);
                try
                {
                    result = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    if (handshakeFirst)
                    {
                        DropUnverified();
                    }
                    else
                    {
                        Drop("idle", $"sent nothing for {idleTimeout.TotalMilliseconds:0} ms");
                    }
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

    private void DropUnverified() =>
        Drop("handshake-timeout", $"no valid member frame within {_handshake.TotalMilliseconds:0} ms ({nameof(GatewayOptions.HandshakeTimeoutMs)})");

    /// <summary>Hands every whole frame to the member; true when the connection must be dropped.</summary>
    private bool Decode(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            var status = FrameDecoder.TryDecode(buffer, out var message, out var consumed, options.FrameCapBytes);
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
        var member = listener.Group.Election.Members.Find(sender);
        var reason = sender == listener.Member ? "self"
            : member is null ? "stranger"
            : listener.Group.IsHosted(sender) ? "hosted-member"
            : !Epochs.IsValid(message.Epoch) ? "epoch-out-of-range"
            : options.RequireSourceAddress && !listener.Sources.Allows(member.Host, source) ? "source-address"
            : null;
        if (reason is null)
        {
            // A valid member frame completes the handshake even when the bucket is empty.
            _verified = true;
            if (_rate.TryTake())
            {
                metrics.FrameIn(message.Verb);
                listener.Deliver(message);
                return;
            }
            reason = "rate-limited";
        }
        // Drop the frame, keep the connection, count it; log the first drop of the connection only.
        metrics.Rejected(reason);
        if (!_loggedFrameDrop)
        {
            _loggedFrameDrop = true;
            InboundLog.FrameDropped(logger, listener.Name, remote, DescribeDrop(reason, message, member));
        }
    }

    private string DescribeDrop(string reason, in ElectionMessage message, Member? member) => reason switch
    {
        "self" => $"sender '{message.SenderId}' is this member",
        "stranger" => $"sender '{message.SenderId}' is not a member of group '{listener.Group.Name}'",
        "hosted-member" => $"sender '{message.SenderId}' is hosted by this deployment and never speaks over TCP",
        "epoch-out-of-range" => $"epoch {message.Epoch} is at or above the ceiling 2^63 (rule 9)",
        "source-address" => $"sender '{message.SenderId}' has host '{member?.Host}', which {source} is not an address of ({nameof(GatewayOptions.RequireSourceAddress)})",
        "rate-limited" => $"more than {options.MaxFramesPerSecond} frames a second, burst {options.FrameBurst} ({nameof(GatewayOptions.MaxFramesPerSecond)}, {nameof(GatewayOptions.FrameBurst)})",
        _ => reason,
    };

    private void Drop(string reason, string detail)
    {
        metrics.Rejected(reason);
        InboundLog.ConnectionDropped(logger, listener.Name, remote, detail);
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
        DecodeStatus.FrameTooLarge => $"a frame exceeds the cap of {options.FrameCapBytes} bytes",
        _ => status.ToString(),
    };
}
