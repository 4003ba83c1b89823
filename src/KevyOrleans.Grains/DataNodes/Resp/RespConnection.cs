using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>
/// One TCP connection to a data node speaking RESP2: connect (and AUTH) once, then one command and
/// its reply at a time. Any failure leaves the connection unusable; <see cref="RespClient"/> drops it.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly RespReader _reader;
    private readonly ArrayBufferWriter<byte> _out = new(256);

    private RespConnection(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new RespReader(_stream);
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and authenticates, all within the caller's deadline.</summary>
    public static async Task<RespConnection> OpenAsync(string host, int port, DataNodeCredentials? credentials, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        RespConnection? connection = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            connection = new RespConnection(socket);
            if (credentials is not null)
            {
                await connection.AuthenticateAsync(host, port, credentials, cancellationToken).ConfigureAwait(false);
            }
            return connection;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }
            throw;
        }
    }

    /// <summary>Sends one command and reads its reply; an error reply is returned, not thrown.</summary>
    public async Task<RespValue> SendAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        _out.ResetWrittenCount();
        Encode(_out, command);
        await _stream.WriteAsync(_out.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async Task AuthenticateAsync(string host, int port, DataNodeCredentials credentials, CancellationToken cancellationToken)
    {
        string[] auth = credentials.User is { } user ? ["AUTH", user, credentials.Password] : ["AUTH", credentials.Password];
        var reply = await SendAsync(auth, cancellationToken).ConfigureAwait(false);
        if (reply.Kind == RespKind.Error)
        {
            var who = credentials.User is { } u ? $" as user '{u}'" : "";
            // The server's text never contains the password, but scrub it anyway: this message reaches logs.
            var text = (reply.Text ?? "").Replace(credentials.Password, "***", StringComparison.Ordinal);
            throw new RespAuthenticationException($"authentication failed at {host}:{port}{who}: {text}");
        }
    }

    /// <summary><c>*N CRLF</c>, then <c>$len CRLF bytes CRLF</c> per argument.</summary>
    private static void Encode(ArrayBufferWriter<byte> output, IReadOnlyList<string> command)
    {
        WriteHeader(output, '*', command.Count);
        foreach (var argument in command)
        {
            WriteHeader(output, '$', Encoding.UTF8.GetByteCount(argument));
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(argument.Length) + 2);
            var n = Encoding.UTF8.GetBytes(argument, span);
            span[n] = (byte)'\r';
            span[n + 1] = (byte)'\n';
            output.Advance(n + 2);
        }
    }

    private static void WriteHeader(ArrayBufferWriter<byte> output, char type, int value)
    {
        var span = output.GetSpan(16);
        span[0] = (byte)type;
        value.TryFormat(span[1..], out var digits, provider: CultureInfo.InvariantCulture);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        output.Advance(digits + 3);
    }
}
