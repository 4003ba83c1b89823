using System.Buffers;
using System.Globalization;

namespace KevyOrleans.Protocol.Resp;

/// <summary>
/// Reads one RESP2 reply (any type, arrays nested) from buffered bytes that may be split anywhere,
/// built on <see cref="RespReader"/>. Never throws on input bytes: a reply is complete, needs more
/// bytes, or is refused with a reason. The limits bound what a broken or hostile peer can make a
/// caller buffer: a caller that reads until the reply is complete holds at most about
/// <see cref="MaxArrayItems"/> x <see cref="MaxBulkBytes"/> at depth one.
/// </summary>
public static class RespReplyReader
{
    /// <summary>Longest status, error or header line.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>Largest bulk string (INFO replication is a few hundred bytes).</summary>
    public const int MaxBulkBytes = 4 * 1024 * 1024;

    /// <summary>Most items in one array.</summary>
    public const int MaxArrayItems = 1024;

    /// <summary>Deepest array nesting.</summary>
    public const int MaxDepth = 8;

    /// <summary>Reads the first reply in <paramref name="input"/>.</summary>
    /// <param name="input">Buffered bytes.</param>
    /// <param name="value">The reply on <see cref="RespStatus.Ok"/>; null otherwise.</param>
    /// <param name="consumed">On <see cref="RespStatus.Ok"/>, the bytes the reply took; 0 otherwise (read more and call again with the same start).</param>
    /// <param name="error">Why the input was refused (<see cref="RespStatus.Malformed"/> or <see cref="RespStatus.AboveLimit"/>); null otherwise.</param>
    public static RespStatus TryRead(in ReadOnlySequence<byte> input, out RespValue? value, out long consumed, out string? error)
    {
        var reader = new SequenceReader<byte>(input);
        var status = ReadValue(ref reader, 0, out value, out error);
        consumed = status == RespStatus.Ok ? reader.Consumed : 0;
        if (status != RespStatus.Ok)
        {
            value = null;
        }
        return status;
    }

    private static RespStatus ReadValue(ref SequenceReader<byte> reader, int depth, out RespValue? value, out string? error)
    {
        value = null;
        error = null;
        var status = RespReader.TryReadLine(ref reader, MaxLineBytes, out var line);
        if (status != RespStatus.Ok)
        {
            error = status switch
            {
                RespStatus.AboveLimit => $"reply line longer than {MaxLineBytes} bytes",
                RespStatus.Malformed => "line not terminated by CRLF",
                _ => null,
            };
            return status;
        }
        if (line.IsEmpty)
        {
            error = "empty reply line";
            return RespStatus.Malformed;
        }
        var type = line.FirstSpan[0];
        var body = line.Slice(1);
        switch (type)
        {
            case (byte)'+':
                value = RespValue.Simple(RespReader.ToUtf8String(body));
                return RespStatus.Ok;
            case (byte)'-':
                value = RespValue.Error(RespReader.ToUtf8String(body));
                return RespStatus.Ok;
            case (byte)':':
                if (!TryParse(body, "integer", out var integer, out error))
                {
                    return RespStatus.Malformed;
                }
                value = RespValue.Number(integer);
                return RespStatus.Ok;
            case (byte)'$':
                return ReadBulk(ref reader, body, out value, out error);
            case (byte)'*':
                return ReadArray(ref reader, body, depth, out value, out error);
            default:
                error = string.Create(CultureInfo.InvariantCulture, $"unexpected reply type byte 0x{type:x2}");
                return RespStatus.Malformed;
        }
    }

    private static RespStatus ReadBulk(ref SequenceReader<byte> reader, in ReadOnlySequence<byte> header, out RespValue? value, out string? error)
    {
        value = null;
        if (!TryParse(header, "bulk length", out var length, out error))
        {
            return RespStatus.Malformed;
        }
        if (length == -1)
        {
            value = RespValue.Null;
            return RespStatus.Ok;
        }
        if (length is < 0 or > MaxBulkBytes)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"bulk length {length} is outside 0..{MaxBulkBytes}");
            return RespStatus.AboveLimit;
        }
        var status = RespReader.TryReadBulkContent(ref reader, length, out var content);
        if (status == RespStatus.Malformed)
        {
            error = "bulk string not followed by CRLF";
        }
        else if (status == RespStatus.Ok)
        {
            value = RespValue.Bulk(RespReader.ToUtf8String(content));
        }
        return status;
    }

    private static RespStatus ReadArray(ref SequenceReader<byte> reader, in ReadOnlySequence<byte> header, int depth, out RespValue? value, out string? error)
    {
        value = null;
        if (!TryParse(header, "array length", out var count, out error))
        {
            return RespStatus.Malformed;
        }
        if (count == -1)
        {
            value = RespValue.Null;
            return RespStatus.Ok;
        }
        if (count is < 0 or > MaxArrayItems || depth >= MaxDepth)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"array of {count} items at depth {depth} is outside the reader's limits");
            return RespStatus.AboveLimit;
        }
        var items = new RespValue[count];
        for (var i = 0; i < count; i++)
        {
            var status = ReadValue(ref reader, depth + 1, out var item, out error);
            if (status != RespStatus.Ok)
            {
                return status;
            }
            items[i] = item!;
        }
        value = RespValue.Array(items);
        return RespStatus.Ok;
    }

    private static bool TryParse(in ReadOnlySequence<byte> text, string what, out long value, out string? error)
    {
        error = null;
        if (RespReader.TryParseInt64(text, out value))
        {
            return true;
        }
        var shown = RespReader.ToUtf8String(text.Length <= 32 ? text : text.Slice(0, 32));
        error = $"{what} '{shown}{(text.Length <= 32 ? "" : "...")}' is not a number";
        return false;
    }
}
