using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Protocol;

/// <summary>
/// Writes kevy-elect frames: a RESP2 array of bulk strings, verb in upper case, role in lower case,
/// numbers as decimal u64 text, with the shared RESP steps of <see cref="RespWriter"/>. The output is byte-exact with kevy's own encoder.
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
        var length = RespWriter.ArrayHeaderLength(message.Verb.ElementCount()) + RespWriter.BulkLength(verb.Length)
            + RespWriter.BulkLength(RespWriter.CountDigits(message.Epoch)) + RespWriter.BulkLength(message.SenderId.Length);
        switch (message.Verb)
        {
            case Verb.Heartbeat:
                length += RespWriter.BulkLength(message.Role.ToWire().Length) + RespWriter.BulkLength(RespWriter.CountDigits(message.ReplOffset));
                break;
            case Verb.Offer:
                length += RespWriter.BulkLength(RespWriter.CountDigits(message.ReplOffset));
                break;
            case Verb.Announce:
                length += RespWriter.BulkLength(message.PrimaryAddress!.Length);
                break;
            default:
                break;
        }
        return length;
    }

    private static int WriteFrame(Span<byte> span, in ElectionMessage message)
    {
        var pos = 0;
        pos += RespWriter.WriteArrayHeader(span, message.Verb.ElementCount());
        pos += RespWriter.WriteBulkAscii(span[pos..], message.Verb.ToWire());
        pos += RespWriter.WriteBulkNumber(span[pos..], message.Epoch);
        switch (message.Verb)
        {
            case Verb.Heartbeat:
                pos += RespWriter.WriteBulkAscii(span[pos..], message.SenderId);
                pos += RespWriter.WriteBulkAscii(span[pos..], message.Role.ToWire());
                pos += RespWriter.WriteBulkNumber(span[pos..], message.ReplOffset);
                break;
            case Verb.Offer:
                pos += RespWriter.WriteBulkAscii(span[pos..], message.SenderId);
                pos += RespWriter.WriteBulkNumber(span[pos..], message.ReplOffset);
                break;
            case Verb.Accept:
                pos += RespWriter.WriteBulkAscii(span[pos..], message.SenderId);
                break;
            default:
                pos += RespWriter.WriteBulkAscii(span[pos..], message.SenderId);
                pos += RespWriter.WriteBulkAscii(span[pos..], message.PrimaryAddress!);
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
}
