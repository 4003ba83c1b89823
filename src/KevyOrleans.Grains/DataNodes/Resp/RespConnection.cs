using System.Buffers;
using System.Net.Sockets;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>
/// One TCP connection to a data node speaking RESP2: connect (and AUTH) once, then one command and
/// its reply at a time. Any failure leaves the connection unusable; <see cref="RespClient"/> drops it.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly RespStreamReader _reader;
    private readonly ArrayBufferWriter<byte> _out = new(256);

    private RespConnection(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new RespStreamReader(_stream);
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
        RespWriter.WriteCommand(_out, command);
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
}
