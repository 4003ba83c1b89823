using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Tests.Support;

namespace KevyOrleans.Protocol.Tests;

public class GoldenFramesTests
{
    public static IEnumerable<object[]> EncodeEntries() => GoldenFrames.Names("encode");

    public static IEnumerable<object[]> DecodeEntries() => GoldenFrames.Names("decode");

    [Theory]
    [MemberData(nameof(EncodeEntries))]
    public void Encode_entry_is_byte_exact_and_decodes_back(string name)
    {
        var entry = GoldenFrames.Entry("encode", name);
        var message = GoldenFrames.Message(entry.GetProperty("message"));
        var expected = GoldenFrames.Bytes(entry);

        var encoded = FrameEncoder.Encode(message);

        Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(encoded));
        Assert.Equal(expected.Length, FrameEncoder.GetEncodedLength(message));
        var status = FrameDecoder.TryDecode(new ReadOnlySequence<byte>(expected), out var decoded, out var consumed);
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(message, decoded);
        Assert.Equal(expected.Length, new ReadOnlySequence<byte>(expected).Slice(0, consumed).Length);
    }

    [Theory]
    [MemberData(nameof(DecodeEntries))]
    public void Decode_entry_gives_the_stated_outcome(string name)
    {
        var entry = GoldenFrames.Entry("decode", name);
        var bytes = GoldenFrames.Bytes(entry);
        var outcome = entry.GetProperty("outcome").GetString();

        var status = FrameDecoder.TryDecode(new ReadOnlySequence<byte>(bytes), out var decoded, out _);

        switch (outcome)
        {
            case "ok":
                Assert.Equal(DecodeStatus.Ok, status);
                Assert.Equal(GoldenFrames.Message(entry.GetProperty("message")), decoded);
                break;
            case "reject":
                Assert.True(status is not (DecodeStatus.Ok or DecodeStatus.Incomplete), $"expected a rejection, got {status}");
                break;
            default:
                Assert.Equal(ToStatus(outcome), status);
                break;
        }
    }

    [Fact]
    public void Stream_first_frame_consumes_exactly_first_length_then_second_decodes()
    {
        var stream = GoldenFrames.Root.GetProperty("stream");
        var bytes = GoldenFrames.Bytes(stream);
        var firstLength = stream.GetProperty("first_length").GetInt32();
        var sequence = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(sequence, out var first, out var consumed));
        Assert.Equal(firstLength, sequence.Slice(0, consumed).Length);
        Assert.Equal(ElectionMessage.Heartbeat(1, "n1", Role.Replica, 0), first);

        var rest = sequence.Slice(consumed);
        Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(rest, out var second, out var end));
        Assert.Equal(ElectionMessage.Accept(2, "n3"), second);
        Assert.Equal(rest.End, end);
    }

    private static DecodeStatus ToStatus(string? outcome) => outcome switch
    {
        "incomplete" => DecodeStatus.Incomplete,
        "bad_envelope" => DecodeStatus.BadEnvelope,
        "wrong_shape" => DecodeStatus.WrongShape,
        "bad_numeric" => DecodeStatus.BadNumeric,
        "bad_role" => DecodeStatus.BadRole,
        _ => throw new InvalidDataException($"golden file: unknown outcome '{outcome}'"),
    };
}
