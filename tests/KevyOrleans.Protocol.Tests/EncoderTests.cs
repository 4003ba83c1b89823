using System.Buffers;
using System.Text;

namespace KevyOrleans.Protocol.Tests;

public class EncoderTests
{
    [Fact]
    public void Verbs_are_upper_case_and_roles_lower_case()
    {
        var text = Encoding.ASCII.GetString(FrameEncoder.Encode(ElectionMessage.Heartbeat(0, "n", Role.Candidate, 10)));
        Assert.Equal("*5\r\n$2\r\nHB\r\n$1\r\n0\r\n$1\r\nn\r\n$9\r\ncandidate\r\n$2\r\n10\r\n", text);
    }

    /// <summary>The hosted members' heartbeat stamp never reaches kevy's wire, and a decoded frame has none.</summary>
    [Fact]
    public void A_heartbeat_stamp_is_not_encoded_and_not_decoded()
    {
        var plain = ElectionMessage.Heartbeat(3, "n1", Role.Primary, 7);
        var stamped = plain with { Stamp = new HeartbeatStamp(99, 12345) };
        Assert.Equal(FrameEncoder.Encode(plain), FrameEncoder.Encode(stamped));
        var bytes = new ReadOnlySequence<byte>(FrameEncoder.Encode(stamped));
        Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(plain, decoded);
        Assert.Null(decoded.Stamp);
    }

    [Fact]
    public void Write_appends_after_what_the_writer_already_holds()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, ElectionMessage.Accept(1, "a"));
        FrameEncoder.Write(writer, ElectionMessage.Offer(2, "b", 3));
        Assert.Equal(
            "*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n$1\r\na\r\n*4\r\n$5\r\nOFFER\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n",
            Encoding.ASCII.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void A_default_message_has_no_sender_and_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => FrameEncoder.Encode(default));
        Assert.Contains("no sender id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_ids_and_addresses_are_refused_before_anything_is_written()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => FrameEncoder.Write(writer, ElectionMessage.Accept(1, "caf\u00e9")));
        Assert.Throws<ArgumentException>(() => FrameEncoder.Write(writer, ElectionMessage.Announce(1, "n1", "h\u00f6st:6000")));
        Assert.Equal(0, writer.WrittenCount);
    }
}
