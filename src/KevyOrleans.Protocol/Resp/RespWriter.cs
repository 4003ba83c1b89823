using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace KevyOrleans.Protocol.Resp;

/// <summary>
/// RESP2 writing steps: the one encoder under both the election frames (<see cref="FrameEncoder"/>) and
/// the data-node commands (<see cref="WriteCommand"/>). The span steps write at the start of the span,
/// which the caller sized with the matching length method, and return the bytes written.
/// </summary>
public static class RespWriter
{
    /// <summary>The length of a bulk string of <paramref name="contentLength"/> bytes: <c>$&lt;n&gt;\r\n&lt;n bytes&gt;\r\n</c>.</summary>
    public static int BulkLength(int contentLength) => 1 + CountDigits((ulong)contentLength) + 2 + contentLength + 2;

    /// <summary>The length of an array header for <paramref name="count"/> elements: <c>*&lt;count&gt;\r\n</c>.</summary>
    public static int ArrayHeaderLength(int count) => 1 + CountDigits((ulong)count) + 2;

    /// <summary>The number of decimal digits of <paramref name="value"/>.</summary>
    public static int CountDigits(ulong value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /// <summary><c>*&lt;count&gt;\r\n</c>.</summary>
    public static int WriteArrayHeader(Span<byte> span, int count) => WriteHeader(span, (byte)'*', count);

    /// <summary><c>$&lt;length&gt;\r\n</c>.</summary>
    public static int WriteBulkHeader(Span<byte> span, int contentLength) => WriteHeader(span, (byte)'$', contentLength);

    /// <summary>An ASCII string as a bulk string; the caller has checked it is ASCII (<see cref="Ascii.IsValid(ReadOnlySpan{char})"/>).</summary>
    public static int WriteBulkAscii(Span<byte> span, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = WriteBulkHeader(span, text.Length);
        Ascii.FromUtf16(text, span[pos..], out var written);
        pos += written;
        return pos + WriteCrlf(span[pos..]);
    }

    /// <summary>A u64 as a bulk string of its decimal digits.</summary>
    public static int WriteBulkNumber(Span<byte> span, ulong value)
    {
        var pos = WriteBulkHeader(span, CountDigits(value));
        Utf8Formatter.TryFormat(value, span[pos..], out var written);
        pos += written;
        return pos + WriteCrlf(span[pos..]);
    }

    /// <summary><c>\r\n</c>.</summary>
    public static int WriteCrlf(Span<byte> span)
    {
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        return 2;
    }

    /// <summary>A command as a RESP2 array of bulk strings, each argument encoded as UTF-8.</summary>
    /// <exception cref="ArgumentException">The command has no arguments.</exception>
    public static void WriteCommand(IBufferWriter<byte> writer, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("a command has at least one argument", nameof(command));
        }
        writer.Advance(WriteArrayHeader(writer.GetSpan(ArrayHeaderLength(command.Count)), command.Count));
        foreach (var argument in command)
        {
            var bytes = Encoding.UTF8.GetByteCount(argument);
            var span = writer.GetSpan(BulkLength(bytes));
            var pos = WriteBulkHeader(span, bytes);
            pos += Encoding.UTF8.GetBytes(argument, span[pos..]);
            pos += WriteCrlf(span[pos..]);
            writer.Advance(pos);
        }
    }

    /// <summary>
    /// A reply of any RESP2 type, arrays nested, as a server writes it (the Sentinel endpoint). Text is
    /// encoded as UTF-8; a simple string or error must not contain CR or LF (the caller's text is its own).
    /// </summary>
    public static void WriteValue(IBufferWriter<byte> writer, RespValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case RespKind.SimpleString:
            case RespKind.Error:
                WriteLine(writer, value.Kind == RespKind.Error ? (byte)'-' : (byte)'+', value.Text!);
                break;
            case RespKind.Integer:
                var number = writer.GetSpan(1 + 20 + 2);
                number[0] = (byte)':';
                Utf8Formatter.TryFormat(value.Integer, number[1..], out var digits);
                writer.Advance(1 + digits + WriteCrlf(number[(1 + digits)..]));
                break;
            case RespKind.BulkString:
                var bytes = Encoding.UTF8.GetByteCount(value.Text!);
                var bulk = writer.GetSpan(BulkLength(bytes));
                var pos = WriteBulkHeader(bulk, bytes);
                pos += Encoding.UTF8.GetBytes(value.Text, bulk[pos..]);
                writer.Advance(pos + WriteCrlf(bulk[pos..]));
                break;
            case RespKind.Array:
                writer.Advance(WriteArrayHeader(writer.GetSpan(ArrayHeaderLength(value.Items!.Count)), value.Items.Count));
                foreach (var item in value.Items)
                {
                    WriteValue(writer, item);
                }
                break;
            default:
                writer.Write("*-1\r\n"u8); // RESP2 has two nulls; clients read the null array for both
                break;
        }
    }

    private static void WriteLine(IBufferWriter<byte> writer, byte prefix, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = writer.GetSpan(1 + length + 2);
        span[0] = prefix;
        var written = Encoding.UTF8.GetBytes(text, span[1..]);
        writer.Advance(1 + written + WriteCrlf(span[(1 + written)..]));
    }

    private static int WriteHeader(Span<byte> span, byte prefix, int value)
    {
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        return 1 + written + WriteCrlf(span[(1 + written)..]);
    }
}
