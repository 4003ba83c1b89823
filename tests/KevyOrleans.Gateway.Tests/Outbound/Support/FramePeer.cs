using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway.Tests.Outbound.Support;

/// <summary>
/// A stand-in for an external kevy member: listens on 127.0.0.1, accepts any number of connections,
/// keeps every byte received and decodes it with <see cref="FrameDecoder"/>. Never writes.
/// </summary>
internal sealed class FramePeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Socket> _connections = new();
    private readonly List<Task> _readers = [];
    private readonly Lock _gate = new();
    private readonly List<byte> _bytes = [];
    private readonly List<ElectionMessage> _frames = [];
    private readonly Task _accepting;
    private int _accepted;

    public FramePeer(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Accepted => Volatile.Read(ref _accepted);

    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return [.. _bytes];
            }
        }
    }

    public IReadOnlyList<ElectionMessage> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> frames have arrived; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ElectionMessage>> WaitForFramesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Frames.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} frames within {timeout}, got {Frames.Count}");
            await Task.Delay(10);
        }
        return Frames;
    }

    /// <summary>Closes every accepted connection (the peer hanging up) while it keeps listening.</summary>
    public void CloseConnections()
    {
        while (_connections.TryDequeue(out var socket))
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseConnections();
        await _accepting;
        Task[] readers;
        lock (_gate)
        {
            readers = [.. _readers];
        }
        await Task.WhenAll(readers);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (SocketException) when (!_stop.IsCancellationRequested)
                {
                    // A client gave up while its connection waited in the backlog (a connect timeout under
                    // load): the accept fails with ECONNABORTED. A real peer keeps listening, and so must this.
                    continue;
                }
                Interlocked.Increment(ref _accepted);
                _connections.Enqueue(socket);
                lock (_gate)
                {
                    _readers.Add(ReadAsync(socket));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReadAsync(Socket socket)
    {
        var pending = new ArrayBufferWriter<byte>();
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token)) > 0)
            {
                pending.Write(chunk.AsSpan(0, n));
                lock (_gate)
                {
                    _bytes.AddRange(chunk.AsSpan(0, n));
                }
                var sequence = new ReadOnlySequence<byte>(pending.WrittenMemory);
                DecodeStatus status;
                while ((status = FrameDecoder.TryDecode(sequence, out var message, out var consumed)) == DecodeStatus.Ok)
                {
                    lock (_gate)
                    {
                        _frames.Add(message);
                    }
                    sequence = sequence.Slice(consumed);
                }
                Assert.Equal(DecodeStatus.Incomplete, status);
                var rest = sequence.ToArray();
                pending.ResetWrittenCount();
                pending.Write(rest);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
