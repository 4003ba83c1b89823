using System.Net.Sockets;

namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>
/// A loopback TCP peer with scripted behaviour: for every chunk of bytes it receives (one command from
/// the client under test) it runs <c>answer</c>, which may write a reply in pieces, or nothing at all.
/// Counts accepted connections, so tests can see a dropped connection being replaced.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly Func<NetworkStream, Task> _answer;
    private readonly LoopbackListener _listener;

    private FakePeer(Func<NetworkStream, Task> answer)
    {
        _answer = answer;
        _listener = new LoopbackListener(0, ServeAsync);
    }

    public int Port => _listener.Port;

    public int Accepted => _listener.Accepted;

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

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer, stopping) > 0)
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
