using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace KevyOrleans.Protocol;

/// <summary>
/// Writes kevy-elect frames: a RESP2 array of bulk strings, verb in upper case, role in lower case,
/// numbers as decimal u64 text. The output is byte-exact with kevy's own encoder.
/// </summary>
public static class FrameEncoder
{
    /// <summary>Writes <paramref name="message"/> into <paramref name="writer"/> with one GetSpan/Advance.</summary>
    /// <exception cref="ArgumentException">The message has no sender id, or an id/address is not ASCII.</exception>
    public static void Write(IBufferWriter<byte> writer, in ElectionMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetEncodedLength(message);
        var span = writer.GetSpan(length);
        var written = WriteFrame(span, message);
        writer.Advance(written);
    }

    /// <summary>Encodes <paramref name="message"/> into a new array of exactly the frame's length.</summary>
    public static byte[] Encode(in ElectionMessage message)
    {
        var bytes = new byte[GetEncodedLength(message)];
        WriteFrame(bytes, message);
        return bytes;
    }

    /// <summary>The exact number of bytes <see cref="Write"/> produces for <paramref name="message"/>.</summary>
    public static int GetEncodedLength(in ElectionMessage message)
    {
        Validate(message);
        var verb = message.Verb.ToWire();
        var length = 4 + BulkLength(verb.Length) + BulkLength(CountDigits(message.Epoch)) + BulkLength(message.SenderId.Length);
        switch (message.Verb)
        {
            case Verb.Heartbeat:
                length += BulkLength(message.Role.ToWire().Length) + BulkLength(CountDigits(message.ReplOffset));
                break;
            case Verb.Offer:
                length += BulkLength(CountDigits(message.ReplOffset));
                break;
            case Verb.Announce:
                length += BulkLength(message.PrimaryAddress!.Length);
                break;
            default:
                break;
        }
        return length;
    }

    private static int WriteFrame(Span<byte> span, in ElectionMessage message)
    {
        var pos = 0;
        // Element counts are 3..5: one digit.
        span[pos++] = (byte)'*';
        span[pos++] = (byte)('0' + message.Verb.ElementCount());
        pos += WriteCrlf(span[pos..]);
        pos += WriteAscii(span[pos..], message.Verb.ToWire());
        pos += WriteNumber(span[pos..], message.Epoch);
        switch (message.Verb)
        {
            case Verb.Heartbeat:
                pos += WriteAscii(span[pos..], message.SenderId);
                pos += WriteAscii(span[pos..], message.Role.ToWire());
                pos += WriteNumber(span[pos..], message.ReplOffset);
                break;
            case Verb.Offer:
                pos += WriteAscii(span[pos..], message.SenderId);
                pos += WriteNumber(span[pos..], message.ReplOffset);
                break;
            case Verb.Accept:
                pos += WriteAscii(span[pos..], message.SenderId);
                break;
            default:
                pos += WriteAscii(span[pos..], message.SenderId);
                pos += WriteAscii(span[pos..], message.PrimaryAddress!);
                break;
        }
        return pos;
    }

    // Checks everything that could make the length computation or the write fail, before any byte is written.
    private static void Validate(in ElectionMessage message)
    {
        _ = message.Verb.ToWire();
        if (message.SenderId is null)
        {
            throw new ArgumentException("the message has no sender id (default ElectionMessage?)", nameof(message));
        }
        if (!Ascii.IsValid(message.SenderId))
        {
            throw new ArgumentException($"sender id '{message.SenderId}' is not ASCII", nameof(message));
        }
        if (message.Verb == Verb.Heartbeat)
        {
            _ = message.Role.ToWire();
        }
        if (message.Verb == Verb.Announce && (message.PrimaryAddress is null || !Ascii.IsValid(message.PrimaryAddress)))
        {
            throw new ArgumentException($"ANNOUNCE address '{message.PrimaryAddress}' is missing or not ASCII", nameof(message));
        }
    }

    // "$<n>\r\n<n bytes>\r\n"
    private static int BulkLength(int contentLength) => 1 + CountDigits((ulong)contentLength) + 2 + contentLength + 2;

    private static int WriteAscii(Span<byte> span, string text)
    {
        var pos = WriteBulkHeader(span, text.Length);
        // Validate() proved the text is ASCII, so this always converts every char.
        Ascii.FromUtf16(text, span[pos..], out var written);
        pos += written;
        return pos + WriteCrlf(span[pos..]);
    }

    private static int WriteNumber(Span<byte> span, ulong value)
    {
        var pos = WriteBulkHeader(span, CountDigits(value));
        Utf8Formatter.TryFormat(value, span[pos..], out var written);
        pos += written;
        return pos + WriteCrlf(span[pos..]);
    }

    private static int WriteBulkHeader(Span<byte> span, int contentLength)
    {
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(contentLength, span[1..], out var written);
        return 1 + written + WriteCrlf(span[(1 + written)..]);
    }

    private static int WriteCrlf(Span<byte> span)
    {
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        return 2;
    }

    private static int CountDigits(ulong value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
