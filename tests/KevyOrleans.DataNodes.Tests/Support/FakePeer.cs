using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>
/// A loopback TCP peer with scripted behaviour: for every chunk of bytes it receives (one command from
/// the client under test) it runs <c>answer</c>, which may write a reply in pieces, or nothing at all.
/// Counts accepted connections, so tests can see a dropped connection being replaced.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, Task> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _accepted;

    private FakePeer(Func<NetworkStream, Task> answer)
    {
        _answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Accepts and reads, and never writes a byte.</summary>
    public static FakePeer Silent() => new(_ => Task.CompletedTask);

    /// <summary>Answers every command with <paramref name="reply"/>, written <paramref name="chunk"/> bytes at a time with a flush and a pause in between.</summary>
    public static FakePeer Dribbling(byte[] reply, int chunk, TimeSpan pause) => new(async stream =>
    {
        for (var i = 0; i < reply.Length; i += chunk)
        {
            await stream.WriteAsync(reply.AsMemory(i, Math.Min(chunk, reply.Length - i)));
            await stream.FlushAsync();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopping
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
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (SocketException) when (!_stop.IsCancellationRequested)
            {
                continue; // a client gave up while waiting in the backlog (ECONNABORTED); keep listening
            }
            client.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            lock (_clients)
            {
                _clients.Add(client);
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
                await _answer(stream);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client dropped the connection, or the peer is stopping
        }
    }
}
