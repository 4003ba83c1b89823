using System.Globalization;
using System.Text;

namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>
/// Reads RESP2 replies from a stream through its own buffer. A reply may arrive split anywhere, one byte
/// at a time or several replies in one read; the reader keeps whatever it read beyond the reply for the
/// next one. Limits bound what a broken or hostile peer can make it hold.
/// </summary>
internal sealed class RespReader(Stream stream)
{
    /// <summary>Longest status, error or header line.</summary>
    internal const int MaxLineBytes = 64 * 1024;

    /// <summary>Largest bulk string (INFO replication is a few hundred bytes).</summary>
    internal const int MaxBulkBytes = 4 * 1024 * 1024;

    internal const int MaxArrayItems = 1024;

    internal const int MaxDepth = 8;

    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public ValueTask<RespValue> ReadAsync(CancellationToken cancellationToken) => ReadValueAsync(0, cancellationToken);

    private async ValueTask<RespValue> ReadValueAsync(int depth, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line.Length == 0)
        {
            throw new RespProtocolException("empty reply line");
        }
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return RespValue.Simple(body);
            case '-':
                return RespValue.Error(body);
            case ':':
                return RespValue.Number(ParseLength(body, "integer"));
            case '$':
                var length = ParseLength(body, "bulk length");
                if (length == -1)
                {
                    return RespValue.Null;
                }
                if (length is < 0 or > MaxBulkBytes)
                {
                    throw new RespProtocolException($"bulk length {length} is outside 0..{MaxBulkBytes}");
                }
                var bytes = await ReadExactAsync((int)length + 2, cancellationToken).ConfigureAwait(false);
                if (bytes[^2] != '\r' || bytes[^1] != '\n')
                {
                    throw new RespProtocolException("bulk string not followed by CRLF");
                }
                return RespValue.Bulk(Encoding.UTF8.GetString(bytes, 0, (int)length));
            case '*':
                var count = ParseLength(body, "array length");
                if (count == -1)
                {
                    return RespValue.Null;
                }
                if (count is < 0 or > MaxArrayItems || depth >= MaxDepth)
                {
                    throw new RespProtocolException($"array of {count} items at depth {depth} is outside the reader's limits");
                }
                var items = new RespValue[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadValueAsync(depth + 1, cancellationToken).ConfigureAwait(false);
                }
                return RespValue.Array(items);
            default:
                throw new RespProtocolException($"unexpected reply type byte 0x{(byte)line[0]:x2}");
        }
    }

    private static long ParseLength(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RespProtocolException($"{what} '{Truncate(text)}' is not a number");

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "...";

    /// <summary>One line without its CRLF.</summary>
    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                if (newline == _start || _buffer[newline - 1] != '\r')
                {
                    throw new RespProtocolException("line not terminated by CRLF");
                }
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }
            scanned = _end - _start;
            if (scanned > MaxLineBytes)
            {
                throw new RespProtocolException($"reply line longer than {MaxLineBytes} bytes");
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_end == _start)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
            var n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }
        return result;
    }

    /// <summary>Reads at least one more byte into the buffer, compacting or growing it first when full.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException("the data node closed the connection");
        }
        _end += read;
    }
}
