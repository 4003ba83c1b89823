using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>
/// Plays one external kevy member: listens on its elect port and records every frame that arrives
/// (split with a tiny RESP reader of its own), and opens connections to hosted members' elect ports
/// to send raw bytes.
/// </summary>
public sealed class ExternalPeer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<int, TcpClient> _outbound = new();
    private readonly SemaphoreSlim _writing = new(1, 1); // one frame at a time: interleaved writes would corrupt frames

    public ExternalPeer(string id, int electPort)
    {
        Id = id;
        ElectPort = electPort;
        _listener = new LoopbackListener(electPort, ReadAsync);
    }

    public string Id { get; }

    public int ElectPort { get; }

    /// <summary>Every frame received, as the raw bytes of the frame, with its arrival time.</summary>
    public ConcurrentQueue<(byte[] Raw, string[] Elements, DateTime At)> Received { get; } = new();

    public IEnumerable<string[]> Frames(string verb, string? sender = null) =>
        Received.Select(r => r.Elements).Where(e => e[0] == verb && (sender is null || e[2] == sender));

    /// <summary>
    /// Sends raw bytes to the elect port of a hosted member over this peer's persistent connection to
    /// it, reconnecting once when the connection died (the silo restarted). False when it could not.
    /// </summary>
    public async Task<bool> SendAsync(int port, byte[] bytes)
    {
        await _writing.WaitAsync().ConfigureAwait(false);
        try
        {
            return await SendLockedAsync(port, bytes).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task<bool> SendLockedAsync(int port, byte[] bytes)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                if (!_outbound.TryGetValue(port, out var client))
                {
                    client = new TcpClient { NoDelay = true };
                    await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    _outbound[port] = client;
                }
                await client.GetStream().WriteAsync(bytes).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (_outbound.TryRemove(port, out var dead))
                {
                    dead.Dispose();
                }
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        foreach (var c in _outbound.Values)
        {
            c.Dispose();
        }
        _writing.Dispose();
    }

    private async Task ReadAsync(TcpClient client, CancellationToken stopping)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        try
        {
            var stream = client.GetStream();
            while (true)
            {
                var n = await stream.ReadAsync(chunk, stopping).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                while (TrySplit(buffer, out var raw, out var elements))
                {
                    Received.Enqueue((raw, elements, DateTime.UtcNow));
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    // "*N\r\n" then N times "$len\r\n<bytes>\r\n"; only what a conforming sender writes.
    private static bool TrySplit(List<byte> buffer, out byte[] raw, out string[] elements)
    {
        raw = [];
        elements = [];
        var text = Encoding.ASCII.GetString(buffer.ToArray());
        var pos = 0;
        if (!ReadLine(text, ref pos, '*', out var count))
        {
            return false;
        }
        var parts = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (!ReadLine(text, ref pos, '$', out var len) || pos + len + 2 > text.Length)
            {
                return false;
            }
            parts[i] = text.Substring(pos, len);
            pos += len + 2;
        }
        raw = [.. buffer.Take(pos)];
        buffer.RemoveRange(0, pos);
        elements = parts;
        return true;
    }

    private static bool ReadLine(string text, ref int pos, char prefix, out int value)
    {
        value = 0;
        var end = text.IndexOf("\r\n", pos, StringComparison.Ordinal);
        if (end < 0 || text[pos] != prefix)
        {
            return false;
        }
        value = int.Parse(text.AsSpan(pos + 1, end - pos - 1), System.Globalization.CultureInfo.InvariantCulture);
        pos = end + 2;
        return true;
    }
}
