using System.Buffers;
using System.Text;

namespace KevyOrleans.Protocol.Tests.Support;

/// <summary>Decodes test input the ways the tests compare: flat, one byte per segment, and by the reference decoder.</summary>
internal static class Decoding
{
    /// <summary>Latin-1, so "\x80" in a test string is the byte 0x80.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Consumed is an offset into the input; -1 on a rejection (where it is unspecified).</summary>
    public static (DecodeStatus Status, ElectionMessage Message, int Consumed) Decode(in ReadOnlySequence<byte> input, int cap = FrameDecoder.DefaultMaxFrameBytes)
    {
        var status = FrameDecoder.TryDecode(input, out var message, out var consumed, cap);
        var offset = status is DecodeStatus.Ok or DecodeStatus.Incomplete ? (int)input.GetOffset(consumed) - (int)input.GetOffset(input.Start) : -1;
        return (status, message, offset);
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> flat and split into one-byte segments, asserts both agree with
    /// each other and with <see cref="ReferenceDecoder"/>, and returns the result.
    /// </summary>
    public static (DecodeStatus Status, ElectionMessage Message, int Consumed) DecodeAllWays(byte[] bytes, int cap = FrameDecoder.DefaultMaxFrameBytes)
    {
        var flat = Decode(new ReadOnlySequence<byte>(bytes), cap);
        Assert.Equal(flat, Decode(BufferSegment.PerByte(bytes), cap));
        Assert.Equal(ReferenceDecoder.Decode(bytes, cap), flat);
        return flat;
    }

    public static (DecodeStatus Status, ElectionMessage Message, int Consumed) DecodeAllWays(string text, int cap = FrameDecoder.DefaultMaxFrameBytes) =>
        DecodeAllWays(Bytes(text), cap);
}
