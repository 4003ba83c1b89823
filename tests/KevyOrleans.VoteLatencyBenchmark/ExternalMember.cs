using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// One external kevy member as the harness plays it: listens on its elect port for what the silo's
/// outbound links send (decoded with the product's <see cref="FrameDecoder"/>, each frame stamped with
/// <see cref="Stopwatch.GetTimestamp"/> the moment it is decoded), and writes frames to the witness's
/// elect port over its own connections from 127.0.0.1, the member's configured host.
/// </summary>
internal sealed class ExternalMember : IAsyncDisposable
{
    private readonly LoopbackListener _listener;

    public ExternalMember(string id, int electPort)
    {
        Id = id;
        _listener = new LoopbackListener(electPort, ReadAsync);
    }

    public string Id { get; }

    /// <summary>Raised on the reading thread for every frame the silo sent this member, with its arrival timestamp.</summary>
    public event Action<ElectionMessage, long>? FrameReceived;

    /// <summary>A new connection to <paramref name="port"/> from 127.0.0.1, Nagle off (kevy writes each frame at once).</summary>
    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> (one or more whole frames).</summary>
    public static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task ReadAsync(TcpClient client, CancellationToken stopping)
    {
        var reader = PipeReader.Create(client.GetStream());
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(stopping).ConfigureAwait(false);
                var buffer = result.Buffer;
                DecodeStatus status;
                while ((status = FrameDecoder.TryDecode(buffer, out var message, out var consumed)) is DecodeStatus.Ok or DecodeStatus.Incomplete)
                {
                    buffer = buffer.Slice(consumed);
                    if (status == DecodeStatus.Incomplete)
                    {
                        break;
                    }
                    FrameReceived?.Invoke(message, Stopwatch.GetTimestamp());
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || status != DecodeStatus.Incomplete)
                {
                    return; // closed, or not a frame: the silo's encoder is broken, which a benchmark does not hide
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // the silo closed the link, or the harness is stopping
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
