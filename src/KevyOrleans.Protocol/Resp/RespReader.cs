using System.Buffers;
using System.Text;

namespace KevyOrleans.Protocol.Resp;

/// <summary>
/// RESP2 reading steps over a <see cref="SequenceReader{T}"/> whose bytes may be split anywhere across
/// segments: the one RESP reading layer under both the election decoder (<see cref="FrameDecoder"/>)
/// and the data-node reply reader (<see cref="RespReplyReader"/>). No step throws on input bytes or
/// allocates, except the string conversions, which allocate exactly their string.
/// </summary>
public static class RespReader
{
    /// <summary>
    /// <c>&lt;prefix&gt;&lt;digits&gt;\r\n</c>: a type byte and a non-negative decimal length (leading zeros allowed).
    /// Above <paramref name="limit"/> the value either rejects at once with <see cref="RespStatus.AboveLimit"/>
    /// at its first offending digit (<paramref name="rejectAboveLimit"/>) or saturates at <c>limit + 1</c>,
    /// which keeps the arithmetic in range however many digits arrive.
    /// </summary>
    public static RespStatus TryReadHeader(ref SequenceReader<byte> reader, byte prefix, long limit, bool rejectAboveLimit, out long value)
    {
        value = 0;
        if (!reader.TryRead(out var b))
        {
            return RespStatus.Incomplete;
        }
        if (b != prefix)
        {
            return RespStatus.Malformed;
        }
        var digits = 0;
        while (reader.TryRead(out b))
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                value = Math.Min((value * 10) + (b - '0'), limit + 1);
                digits++;
                if (rejectAboveLimit && value > limit)
                {
                    return RespStatus.AboveLimit;
                }
                continue;
            }
            if (b != (byte)'\r' || digits == 0)
            {
                return RespStatus.Malformed;
            }
            if (!reader.TryRead(out b))
            {
                return RespStatus.Incomplete;
            }
            return b == (byte)'\n' ? RespStatus.Ok : RespStatus.Malformed;
        }
        return RespStatus.Incomplete;
    }

    /// <summary>
    /// The <paramref name="length"/> content bytes of a bulk string whose header was read, and the CRLF
    /// after them. <paramref name="content"/> is a slice of the input: nothing is copied.
    /// </summary>
    public static RespStatus TryReadBulkContent(ref SequenceReader<byte> reader, long length, out ReadOnlySequence<byte> content)
    {
        content = default;
        if (length < 0)
        {
            return RespStatus.Malformed;
        }
        if (reader.Remaining < length + 2)
        {
            return RespStatus.Incomplete;
        }
        var start = reader.Position;
        reader.Advance(length);
        content = reader.Sequence.Slice(start, reader.Position);
        return reader.IsNext("\r\n"u8, advancePast: true) ? RespStatus.Ok : RespStatus.Malformed;
    }

    /// <summary>
    /// One line up to its <c>\n</c>, which must follow a <c>\r</c>; <paramref name="line"/> is the text before
    /// the CRLF (a lone <c>\r</c> inside it is content). A line longer than <paramref name="maxLineBytes"/>,
    /// complete or not, is <see cref="RespStatus.AboveLimit"/>.
    /// </summary>
    public static RespStatus TryReadLine(ref SequenceReader<byte> reader, int maxLineBytes, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            return reader.Remaining > maxLineBytes + 1L ? RespStatus.AboveLimit : RespStatus.Incomplete;
        }
        if (line.IsEmpty || !EndsWithCr(line))
        {
            return RespStatus.Malformed;
        }
        line = line.Slice(0, line.Length - 1);
        return line.Length > maxLineBytes ? RespStatus.AboveLimit : RespStatus.Ok;
    }

    /// <summary>Decimal u64: one or more digits, leading zeros allowed, no sign, no overflow.</summary>
    public static bool TryParseUInt64(in ReadOnlySequence<byte> content, out ulong value)
    {
        value = 0;
        if (content.IsEmpty)
        {
            return false;
        }
        if (content.IsSingleSegment)
        {
            return AccumulateDigits(content.FirstSpan, ref value);
        }
        foreach (var memory in content)
        {
            if (!AccumulateDigits(memory.Span, ref value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Decimal i64 with an optional leading <c>+</c> or <c>-</c>, as a RESP integer or length; no overflow.</summary>
    public static bool TryParseInt64(in ReadOnlySequence<byte> content, out long value)
    {
        value = 0;
        var reader = new SequenceReader<byte>(content);
        if (!reader.TryPeek(out var first))
        {
            return false;
        }
        var negative = first == (byte)'-';
        if (first is (byte)'-' or (byte)'+')
        {
            reader.Advance(1);
        }
        if (!TryParseUInt64(content.Slice(reader.Position), out var magnitude)
            || magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>True when every byte of <paramref name="content"/> is ASCII (0x00 to 0x7F).</summary>
    public static bool IsAscii(in ReadOnlySequence<byte> content)
    {
        if (content.IsSingleSegment)
        {
            return Ascii.IsValid(content.FirstSpan);
        }
        foreach (var memory in content)
        {
            if (!Ascii.IsValid(memory.Span))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// <paramref name="content"/> (already checked to be ASCII) as a string; the only allocation is the
    /// string itself (the lambda is static and cached).
    /// </summary>
    public static string ToAsciiString(in ReadOnlySequence<byte> content) => content.IsSingleSegment
        ? Encoding.ASCII.GetString(content.FirstSpan)
        : string.Create((int)content.Length, content, static (chars, bytes) =>
        {
            foreach (var memory in bytes)
            {
                Ascii.ToUtf16(memory.Span, chars, out var written);
                chars = chars[written..];
            }
        });

    /// <summary><paramref name="content"/> decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public static string ToUtf8String(in ReadOnlySequence<byte> content) => Encoding.UTF8.GetString(content);

    /// <summary>
    /// The content as one span: itself when in one segment, else copied into <paramref name="buffer"/>,
    /// which the caller makes at least as long as the content.
    /// </summary>
    public static ReadOnlySpan<byte> Flatten(in ReadOnlySequence<byte> content, Span<byte> buffer)
    {
        if (content.IsSingleSegment)
        {
            return content.FirstSpan;
        }
        var slice = buffer[..(int)content.Length];
        content.CopyTo(slice);
        return slice;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> line)
    {
        Span<byte> last = stackalloc byte[1];
        line.Slice(line.Length - 1).CopyTo(last);
        return last[0] == (byte)'\r';
    }

    private static bool AccumulateDigits(ReadOnlySpan<byte> digits, ref ulong value)
    {
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9 || value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }
            value = (value * 10) + digit;
        }
        return true;
    }
}
