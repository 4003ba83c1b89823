using System.Buffers;
using System.Text;
using static KevyOrleans.Protocol.Tests.Support.Decoding;

namespace KevyOrleans.Protocol.Tests;

public class DecoderTests
{
    private const string Hb = "*5\r\n$2\r\nHB\r\n$1\r\n1\r\n$2\r\nn1\r\n$7\r\nprimary\r\n$1\r\n0\r\n";

    [Fact]
    public void Heartbeat_decodes_and_consumes_exactly_the_frame()
    {
        var (status, message, consumed) = DecodeAllWays(Hb + "*3\r\n");
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(ElectionMessage.Heartbeat(1, "n1", Role.Primary, 0), message);
        Assert.Equal(Hb.Length, consumed);
    }

    [Theory]
    [InlineData("*4\r\n$5\r\noFfEr\r\n$1\r\n9\r\n$1\r\nc\r\n$1\r\n5\r\n")]
    [InlineData("*4\r\n$05\r\nOFFER\r\n$01\r\n9\r\n$1\r\nc\r\n$3\r\n005\r\n")]
    [InlineData("*04\r\n$5\r\nOFFER\r\n$3\r\n009\r\n$1\r\nc\r\n$1\r\n5\r\n")]
    public void Offer_accepts_any_case_and_leading_zeros(string frame) =>
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Offer(9, "c", 5), frame.Length), DecodeAllWays(frame));

    [Theory]
    [InlineData("primary", Role.Primary)]
    [InlineData("PRIMARY", Role.Primary)]
    [InlineData("Replica", Role.Replica)]
    [InlineData("cAnDiDaTe", Role.Candidate)]
    public void Roles_decode_in_any_case(string role, Role expected)
    {
        var frame = $"*5\r\n$2\r\nhb\r\n$1\r\n2\r\n$1\r\nn\r\n${role.Length}\r\n{role}\r\n$1\r\n3\r\n";
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Heartbeat(2, "n", expected, 3), frame.Length), DecodeAllWays(frame));
    }

    [Fact]
    public void Announce_and_accept_decode()
    {
        const string announce = "*4\r\n$8\r\nannounce\r\n$2\r\n10\r\n$2\r\nn2\r\n$14\r\n[::1]:6004:abc\r\n";
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Announce(10, "n2", "[::1]:6004:abc"), announce.Length), DecodeAllWays(announce));
        const string accept = "*3\r\n$6\r\nAccept\r\n$20\r\n18446744073709551615\r\n$1\r\na\r\n";
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Accept(ulong.MaxValue, "a"), accept.Length), DecodeAllWays(accept));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("*")]
    [InlineData("\t\x01\x7f")]
    [InlineData("an-id-that-is-much-longer-than-the-thirty-two-bytes-a-member-may-have")]
    public void Sender_id_is_returned_as_sent_and_left_to_the_membership_check(string id)
    {
        var frame = $"*3\r\n$6\r\nACCEPT\r\n$1\r\n4\r\n${id.Length}\r\n{id}\r\n";
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Accept(4, id), frame.Length), DecodeAllWays(frame));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*5")]
    [InlineData("*5\r")]
    [InlineData("*5\r\n")]
    [InlineData("*5\r\n$")]
    [InlineData("*5\r\n$2\r\nH")]
    [InlineData("*5\r\n$2\r\nHB\r")]
    [InlineData("*5\r\n$2\r\nHB\r\n$1\r\n1\r\n$2\r\nn1\r\n$7\r\nprimary\r\n$1\r\n0\r")]
    public void Unfinished_frames_are_incomplete_and_consume_nothing(string prefix) =>
        Assert.Equal((DecodeStatus.Incomplete, default(ElectionMessage), 0), DecodeAllWays(prefix));

    [Theory]
    [InlineData("$5\r\nhello\r\n")]
    [InlineData("+OK\r\n")]
    [InlineData("HB 1 n1 primary 0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*\r\n")]
    [InlineData("*3\n")]
    [InlineData("*3\rX")]
    [InlineData("*3 \r\n")]
    [InlineData("*3\r\n:1\r\n")]
    [InlineData("*3\r\n+ACCEPT\r\n")]
    [InlineData("*3\r\n$-1\r\n")]
    [InlineData("*3\r\n$\r\n")]
    [InlineData("*3\r\n$x\r\n")]
    [InlineData("*3\r\n$6\nACCEPT\r\n")]
    [InlineData("*3\r\n$6\r\nACCEPTxx")]
    [InlineData("*3\r\n$6\r\nACCEPT\r\n$1\r\n12\r\n$1\r\nx\r\n")]
    [InlineData("*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n$2\r\nn\x80\r\n")]
    [InlineData("*4\r\n$8\r\nANNOUNCE\r\n$1\r\n1\r\n$1\r\nn\r\n$4\r\nh\xff:1\r\n")]
    public void Not_an_array_of_bulk_strings_is_a_bad_envelope(string input) =>
        Assert.Equal(DecodeStatus.BadEnvelope, DecodeAllWays(input).Status);

    [Theory]
    [InlineData("*6")]
    [InlineData("*9")]
    [InlineData("*10\r\n")]
    [InlineData("*0000000000000000000000000000006")]
    [InlineData("*99999999999999999999999\r\n")]
    [InlineData("*1\r\n")]
    [InlineData("*2\r\n")]
    [InlineData("*2\r\n$4\r\nPING\r\n$2\r\nok\r\n")]
    [InlineData("*3\r\n$4\r\n")]
    [InlineData("*3\r\n$3\r\nPING")]
    [InlineData("*3\r\n$2\r\nHX\r\n")]
    [InlineData("*3\r\n$8\r\nANNOUNCF\r\n")]
    [InlineData("*4\r\n$2\r\nHB\r\n")]
    [InlineData("*3\r\n$5\r\nOFFER\r\n")]
    [InlineData("*5\r\n$5\r\nOFFER\r\n")]
    [InlineData("*4\r\n$6\r\nACCEPT\r\n")]
    [InlineData("*3\r\n$8\r\nANNOUNCE\r\n")]
    public void Unknown_verbs_and_wrong_counts_are_wrong_shape_as_soon_as_known(string input) =>
        Assert.Equal(DecodeStatus.WrongShape, DecodeAllWays(input).Status);

    [Theory]
    [InlineData("")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1a")]
    [InlineData("0x10")]
    [InlineData("1.0")]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999")]
    [InlineData("000000000000000000000018446744073709551616")]
    public void Epochs_and_offsets_must_be_decimal_u64(string number)
    {
        var asEpoch = $"*3\r\n$6\r\nACCEPT\r\n${number.Length}\r\n{number}\r\n$1\r\na\r\n";
        var asHbOffset = $"*5\r\n$2\r\nHB\r\n$1\r\n1\r\n$1\r\na\r\n$7\r\nreplica\r\n${number.Length}\r\n{number}\r\n";
        var asOfferOffset = $"*4\r\n$5\r\nOFFER\r\n$1\r\n1\r\n$1\r\na\r\n${number.Length}\r\n{number}\r\n";
        Assert.Equal(DecodeStatus.BadNumeric, DecodeAllWays(asEpoch).Status);
        Assert.Equal(DecodeStatus.BadNumeric, DecodeAllWays(asHbOffset).Status);
        Assert.Equal(DecodeStatus.BadNumeric, DecodeAllWays(asOfferOffset).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("leader")]
    [InlineData("primar")]
    [InlineData("primaryy")]
    [InlineData("replicA ")]
    [InlineData("candidat\xe9")]
    [InlineData("2")]
    public void Unknown_roles_are_bad_role(string role)
    {
        var frame = $"*5\r\n$2\r\nHB\r\n$1\r\n1\r\n$1\r\na\r\n${role.Length}\r\n{role}\r\n$1\r\n0\r\n";
        Assert.Equal(DecodeStatus.BadRole, DecodeAllWays(frame).Status);
    }

    [Fact]
    public void A_frame_of_exactly_the_cap_decodes_and_one_byte_more_is_too_large()
    {
        Assert.Equal(DecodeStatus.Ok, DecodeAllWays(Hb, cap: Hb.Length).Status);
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays(Hb, cap: Hb.Length - 1).Status);
    }

    [Fact]
    public void A_frame_of_exactly_the_default_cap_decodes()
    {
        var frame = AcceptWithIdOfFrameLength(FrameDecoder.DefaultMaxFrameBytes);
        Assert.Equal(DecodeStatus.Ok, DecodeAllWays(frame).Status);
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays(AcceptWithIdOfFrameLength(FrameDecoder.DefaultMaxFrameBytes + 1)).Status);
    }

    [Fact]
    public void An_unfinished_frame_holding_more_than_the_cap_is_too_large()
    {
        // A header line padded with leading zeros never declares a big bulk, so only the buffered size can stop it.
        var slowHeader = "*3\r\n$" + new string('0', 100);
        Assert.Equal(DecodeStatus.Incomplete, DecodeAllWays(slowHeader, cap: slowHeader.Length).Status);
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays(slowHeader + "0", cap: slowHeader.Length).Status);
    }

    [Fact]
    public void A_bulk_header_declaring_more_than_the_cap_is_too_large_before_its_content_arrives()
    {
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays("*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n$16384\r\n").Status);
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays("*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n$99999999999999999999999999\r\n").Status);
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays("*3\r\n$99999999999999999999999999\r\n", cap: int.MaxValue).Status);
    }

    [Fact]
    public void A_long_zero_padded_array_header_is_too_large()
    {
        var header = "*" + new string('0', FrameDecoder.DefaultMaxFrameBytes) + "3\r\n";
        Assert.Equal(DecodeStatus.FrameTooLarge, DecodeAllWays(header).Status);
    }

    [Fact]
    public void Cap_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameDecoder.TryDecode(new ReadOnlySequence<byte>(Bytes(Hb)), out _, out _, 0));

    [Fact]
    public void Empty_arrays_before_a_frame_are_skipped()
    {
        var input = "*0\r\n*00\r\n" + Hb;
        Assert.Equal((DecodeStatus.Ok, ElectionMessage.Heartbeat(1, "n1", Role.Primary, 0), input.Length), DecodeAllWays(input));
    }

    [Fact]
    public void Empty_arrays_alone_are_consumed_and_report_incomplete()
    {
        Assert.Equal((DecodeStatus.Incomplete, default(ElectionMessage), 8), DecodeAllWays("*0\r\n*0\r\n"));
        Assert.Equal((DecodeStatus.Incomplete, default(ElectionMessage), 4), DecodeAllWays("*0\r\n*5\r\n$2\r\nH"));
    }

    [Fact]
    public void Empty_arrays_do_not_count_towards_the_next_frames_cap()
    {
        var input = string.Concat(Enumerable.Repeat("*0\r\n", 100)) + Hb;
        Assert.Equal(DecodeStatus.Ok, DecodeAllWays(input, cap: Hb.Length).Status);
    }

    [Fact]
    public void Every_field_may_span_segments()
    {
        var frame = Bytes("*5\r\n$2\r\nHB\r\n$6\r\n123456\r\n$10\r\nnode-alpha\r\n$9\r\ncandidate\r\n$5\r\n98765\r\n");
        var expected = ElectionMessage.Heartbeat(123456, "node-alpha", Role.Candidate, 98765);
        // Cuts inside the verb, the epoch, the id, the role and the offset, plus an empty segment.
        var sequence = Support.BufferSegment.Split(frame, 9, 17, 30, 30, 46, 62);
        Assert.Equal((DecodeStatus.Ok, expected, frame.Length), Decode(sequence));
    }

    [Fact]
    public void Incomplete_across_segments_consumes_nothing()
    {
        var prefix = Bytes(Hb)[..30];
        var sequence = Support.BufferSegment.Split(prefix, 3, 11, 20);
        Assert.Equal(DecodeStatus.Incomplete, FrameDecoder.TryDecode(sequence, out _, out var consumed));
        Assert.Equal(sequence.Start, consumed);
    }

    [Fact]
    public void Decoding_a_slice_reports_positions_in_the_original_sequence()
    {
        var bytes = Bytes("xx" + Hb + "yy");
        var slice = new ReadOnlySequence<byte>(bytes).Slice(2, Hb.Length);
        Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(slice, out _, out var consumed));
        Assert.Equal(slice.End, consumed);
    }

    private static string AcceptWithIdOfFrameLength(int frameLength)
    {
        // "*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n" is 23 bytes; "$<n>\r\n<n>\r\n" adds n plus its header.
        const string head = "*3\r\n$6\r\nACCEPT\r\n$1\r\n1\r\n";
        var idLength = frameLength - head.Length - 1 - 2 - 2;
        idLength -= idLength.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var frame = $"{head}${idLength}\r\n{new string('i', idLength)}\r\n";
        Assert.Equal(frameLength, Encoding.ASCII.GetByteCount(frame));
        return frame;
    }
}
