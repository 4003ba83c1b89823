using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Protocol;

/// <summary>
/// Reads kevy-elect frames (RESP2 arrays of bulk strings) from a byte sequence that may be split
/// anywhere across segments, with the shared RESP steps of <see cref="RespReader"/>. Never throws on input bytes; every outcome is a <see cref="DecodeStatus"/>.
/// </summary>
/// <remarks>
/// <para>Accepted beyond the strict encoder output: verbs and roles in any ASCII case, leading zeros in
/// numbers and in RESP lengths. Empty arrays (<c>*0\r\n</c>) are skipped, as kevy does. The inline
/// form (<c>HB 1 n1 primary 0</c>) is not supported and is a bad envelope.</para>
/// <para>Ids and the ANNOUNCE address are returned exactly as sent (ASCII-decoded, not validated:
/// membership is the caller's check). A byte above 0x7F in them is a bad envelope, because ASCII
/// decoding could not represent it and two different byte strings would turn into one id.</para>
/// <para>Early rejection: an array count above 5 is wrong shape at its first offending digit, counts
/// 1 and 2 as soon as the header line ends, and a verb whose bulk length is not that of a verb as soon
/// as the length is known. Everything else is judged element by element once an element's bytes
/// (content and CRLF) are all present.</para>
/// </remarks>
public static class FrameDecoder
{
    /// <summary>kevy drops a connection whose unparsed input exceeds 16 KiB.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024;

    private const int MinElements = 3;
    private const int MaxElements = 5;

    /// <summary>Decodes the first frame in <paramref name="input"/>.</summary>
    /// <param name="input">Buffered bytes; a frame may span any number of segments.</param>
    /// <param name="message">The frame on <see cref="DecodeStatus.Ok"/>; <c>default</c> otherwise.</param>
    /// <param name="consumed">
    /// On <see cref="DecodeStatus.Ok"/>: the position right after the frame.
    /// On <see cref="DecodeStatus.Incomplete"/>: the start of the unfinished frame, which is
    /// <c>input.Start</c> unless empty arrays were skipped before it; slice the buffer there and read more.
    /// On any rejection: unspecified; the caller drops the connection.
    /// </param>
    /// <param name="maxFrameBytes">
    /// The frame cap. A frame longer than this, a bulk header that implies one, or an unfinished frame
    /// already holding more bytes than this is <see cref="DecodeStatus.FrameTooLarge"/>, so a slow sender
    /// can never make the caller buffer more than the cap (plus whatever it read past it).
    /// Skipped empty arrays do not count towards the next frame.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrameBytes"/> is not positive.</exception>
    public static DecodeStatus TryDecode(
        in ReadOnlySequence<byte> input,
        out ElectionMessage message,
        out SequencePosition consumed,
        int maxFrameBytes = DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameBytes);
        var reader = new SequenceReader<byte>(input);
        while (true)
        {
            var frameStart = reader.Position;
            var frameOffset = reader.Consumed;
            var status = ReadArrayHeader(ref reader, frameOffset, maxFrameBytes, out var count);
            if (status == DecodeStatus.Ok && count == 0)
            {
                continue;
            }
            message = default;
            if (status == DecodeStatus.Ok)
            {
                status = ReadElements(ref reader, count, frameOffset, maxFrameBytes, out message);
            }
            if (status == DecodeStatus.Incomplete)
            {
                if (reader.Length - frameOffset > maxFrameBytes)
                {
                    consumed = reader.Position;
                    return DecodeStatus.FrameTooLarge;
                }
                consumed = frameStart;
                return DecodeStatus.Incomplete;
            }
            consumed = reader.Position;
            return status;
        }
    }

    private static DecodeStatus ReadArrayHeader(ref SequenceReader<byte> reader, long frameOffset, int max, out long count)
    {
        var status = ToDecodeStatus(RespReader.TryReadHeader(ref reader, (byte)'*', MaxElements, rejectAboveLimit: true, out count));
        if (status != DecodeStatus.Ok)
        {
            return status;
        }
        // Only leading zeros can make a header line this long.
        if (reader.Consumed - frameOffset > max)
        {
            return DecodeStatus.FrameTooLarge;
        }
        return count is > 0 and < MinElements ? DecodeStatus.WrongShape : DecodeStatus.Ok;
    }

    private static DecodeStatus ReadElements(ref SequenceReader<byte> reader, long count, long frameOffset, int max, out ElectionMessage message)
    {
        message = default;
        var status = ReadBulk(ref reader, frameOffset, max, isVerb: true, out var content);
        if (status != DecodeStatus.Ok)
        {
            return status;
        }
        if (!TryParseVerb(content, out var verb) || verb.ElementCount() != count)
        {
            return DecodeStatus.WrongShape;
        }
        if ((status = ReadBulk(ref reader, frameOffset, max, isVerb: false, out content)) != DecodeStatus.Ok)
        {
            return status;
        }
        if (!RespReader.TryParseUInt64(content, out var epoch))
        {
            return DecodeStatus.BadNumeric;
        }
        if ((status = ReadBulk(ref reader, frameOffset, max, isVerb: false, out var sender)) != DecodeStatus.Ok)
        {
            return status;
        }
        if (!RespReader.IsAscii(sender))
        {
            return DecodeStatus.BadEnvelope;
        }
        switch (verb)
        {
            case Verb.Heartbeat:
                if ((status = ReadBulk(ref reader, frameOffset, max, isVerb: false, out content)) != DecodeStatus.Ok)
                {
                    return status;
                }
                if (!TryParseRole(content, out var role))
                {
                    return DecodeStatus.BadRole;
                }
                if ((status = ReadOffset(ref reader, frameOffset, max, out var hbOffset)) != DecodeStatus.Ok)
                {
                    return status;
                }
                message = ElectionMessage.Heartbeat(epoch, RespReader.ToAsciiString(sender), role, hbOffset);
                return DecodeStatus.Ok;
            case Verb.Offer:
                if ((status = ReadOffset(ref reader, frameOffset, max, out var offerOffset)) != DecodeStatus.Ok)
                {
                    return status;
                }
                message = ElectionMessage.Offer(epoch, RespReader.ToAsciiString(sender), offerOffset);
                return DecodeStatus.Ok;
            case Verb.Accept:
                message = ElectionMessage.Accept(epoch, RespReader.ToAsciiString(sender));
                return DecodeStatus.Ok;
            default:
                if ((status = ReadBulk(ref reader, frameOffset, max, isVerb: false, out content)) != DecodeStatus.Ok)
                {
                    return status;
                }
                if (!RespReader.IsAscii(content))
                {
                    return DecodeStatus.BadEnvelope;
                }
                message = ElectionMessage.Announce(epoch, RespReader.ToAsciiString(sender), RespReader.ToAsciiString(content));
                return DecodeStatus.Ok;
        }
    }

    private static DecodeStatus ReadOffset(ref SequenceReader<byte> reader, long frameOffset, int max, out ulong offset)
    {
        offset = 0;
        var status = ReadBulk(ref reader, frameOffset, max, isVerb: false, out var content);
        if (status != DecodeStatus.Ok)
        {
            return status;
        }
        return RespReader.TryParseUInt64(content, out offset) ? DecodeStatus.Ok : DecodeStatus.BadNumeric;
    }

    // "$<length>\r\n<content>\r\n"; content is a slice of the input, so nothing is copied here.
    private static DecodeStatus ReadBulk(ref SequenceReader<byte> reader, long frameOffset, int max, bool isVerb, out ReadOnlySequence<byte> content)
    {
        content = default;
        var status = ToDecodeStatus(RespReader.TryReadHeader(ref reader, (byte)'$', max, rejectAboveLimit: false, out var length));
        if (status != DecodeStatus.Ok)
        {
            return status;
        }
        if (reader.Consumed - frameOffset + length + 2 > max)
        {
            return DecodeStatus.FrameTooLarge;
        }
        if (isVerb && length is not (2 or 5 or 6 or 8))
        {
            return DecodeStatus.WrongShape;
        }
        return ToDecodeStatus(RespReader.TryReadBulkContent(ref reader, length, out content));
    }

    // The RESP layer's outcomes in the election's terms: a count above the limit is the wrong shape.
    private static DecodeStatus ToDecodeStatus(RespStatus status) => status switch
    {
        RespStatus.Ok => DecodeStatus.Ok,
        RespStatus.Incomplete => DecodeStatus.Incomplete,
        RespStatus.AboveLimit => DecodeStatus.WrongShape,
        _ => DecodeStatus.BadEnvelope,
    };

    private static bool TryParseVerb(in ReadOnlySequence<byte> content, out Verb verb)
    {
        Span<byte> buffer = stackalloc byte[8];
        // Callers check the length fits the buffer first (verb lengths at the bulk header, roles above).
        var span = RespReader.Flatten(content, buffer);
        verb = default;
        if (Ascii.EqualsIgnoreCase(span, "HB"u8))
        {
            verb = Verb.Heartbeat;
        }
        else if (Ascii.EqualsIgnoreCase(span, "OFFER"u8))
        {
            verb = Verb.Offer;
        }
        else if (Ascii.EqualsIgnoreCase(span, "ACCEPT"u8))
        {
            verb = Verb.Accept;
        }
        else if (Ascii.EqualsIgnoreCase(span, "ANNOUNCE"u8))
        {
            verb = Verb.Announce;
        }
        else
        {
            return false;
        }
        return true;
    }

    private static bool TryParseRole(in ReadOnlySequence<byte> content, out Role role)
    {
        role = default;
        if (content.Length is not (7 or 9))
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[9];
        var span = RespReader.Flatten(content, buffer);
        if (Ascii.EqualsIgnoreCase(span, "primary"u8))
        {
            role = Role.Primary;
        }
        else if (Ascii.EqualsIgnoreCase(span, "replica"u8))
        {
            role = Role.Replica;
        }
        else if (Ascii.EqualsIgnoreCase(span, "candidate"u8))
        {
            role = Role.Candidate;
        }
        else
        {
            return false;
        }
        return true;
    }
}
