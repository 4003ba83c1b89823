using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Testing;

/// <summary>A raw RESP client over real TCP: writes commands (or any bytes) and reads replies with the shared reply reader.</summary>
public sealed class RespTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _filled;

    private RespTestClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<RespTestClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RespTestClient(socket);
    }

    public async Task SendAsync(params string[] command)
    {
        var writer = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(writer, command);
        await SendRawAsync(writer.WrittenMemory);
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    public async Task<RespValue> CallAsync(params string[] command)
    {
        await SendAsync(command);
        return await ReadAsync();
    }

    /// <summary>The next reply; throws when none arrives within 10 s or the server closes the connection.</summary>
    public async Task<RespValue> ReadAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Patience);
        while (true)
        {
            var status = RespReplyReader.TryRead(new ReadOnlySequence<byte>(_buffer, 0, _filled), out var value, out var consumed, out var error);
            if (status == RespStatus.Ok)
            {
                Buffer.BlockCopy(_buffer, (int)consumed, _buffer, 0, _filled - (int)consumed);
                _filled -= (int)consumed;
                return value!;
            }
            if (status != RespStatus.Incomplete)
            {
                throw new InvalidOperationException($"the server sent bytes that are not RESP: {error}");
            }
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException("the server closed the connection");
            }
            _filled += n;
        }
    }

    /// <summary>True when the server closes (or resets) the connection within <paramref name="patience"/>; replies before the close are skipped.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (await _socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None, timeout.Token) > 0)
            {
                _filled = 0;
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Reading replies in tests.</summary>
public static class RespValues
{
    /// <summary>A flat field/value array as a dictionary.</summary>
    public static Dictionary<string, string> Fields(this RespValue value)
    {
        var items = value.Items ?? throw new InvalidOperationException($"{value} is not an array");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            fields[items[i].Text!] = items[i + 1].Text ?? items[i + 1].Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return fields;
    }

    public static string[] Texts(this RespValue value) => [.. (value.Items ?? throw new InvalidOperationException($"{value} is not an array")).Select(i => i.Text ?? i.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
