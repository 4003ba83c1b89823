using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Protocol.Tests.Support;

namespace KevyOrleans.Protocol.Tests.Resp;

/// <summary>The shared reading steps on their own, each under every segmentation.</summary>
public class RespReaderTests
{
    [Theory]
    [InlineData("*3\r\n", RespStatus.Ok, 3)]
    [InlineData("*005\r\n", RespStatus.Ok, 5)]
    [InlineData("*6\r\n", RespStatus.AboveLimit, 0)]
    [InlineData("*0000000000000000000000006", RespStatus.AboveLimit, 0)]
    [InlineData("$3\r\n", RespStatus.Malformed, 0)]
    [InlineData("*\r\n", RespStatus.Malformed, 0)]
    [InlineData("*-1\r\n", RespStatus.Malformed, 0)]
    [InlineData("*3\n", RespStatus.Malformed, 0)]
    [InlineData("*3\rx", RespStatus.Malformed, 0)]
    [InlineData("*3\r", RespStatus.Incomplete, 0)]
    [InlineData("*3", RespStatus.Incomplete, 0)]
    [InlineData("", RespStatus.Incomplete, 0)]
    public void A_header_with_a_rejecting_limit(string text, RespStatus expected, long value)
    {
        foreach (var input in Cuts(text))
        {
            var reader = new SequenceReader<byte>(input);
            var status = RespReader.TryReadHeader(ref reader, (byte)'*', 5, rejectAboveLimit: true, out var read);
            Assert.Equal(expected, status);
            if (status == RespStatus.Ok)
            {
                Assert.Equal(value, read);
                Assert.Equal(text.Length, reader.Consumed);
            }
        }
    }

    [Fact]
    public void A_saturating_header_stays_in_range_however_many_digits_arrive()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("$" + new string('9', 100) + "\r\n")));
        Assert.Equal(RespStatus.Ok, RespReader.TryReadHeader(ref reader, (byte)'$', 16, rejectAboveLimit: false, out var length));
        Assert.Equal(17, length);
    }

    [Theory]
    [InlineData("0", true, 0UL)]
    [InlineData("00042", true, 42UL)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData("", false, 0UL)]
    [InlineData("+1", false, 0UL)]
    [InlineData("-1", false, 0UL)]
    [InlineData("1 ", false, 0UL)]
    public void Unsigned_numbers(string text, bool ok, ulong expected)
    {
        foreach (var input in Cuts(text))
        {
            Assert.Equal(ok, RespReader.TryParseUInt64(input, out var value));
            if (ok)
            {
                Assert.Equal(expected, value);
            }
        }
    }

    [Theory]
    [InlineData("0", true, 0L)]
    [InlineData("-0", true, 0L)]
    [InlineData("+12", true, 12L)]
    [InlineData("-1", true, -1L)]
    [InlineData("0000000000000000000000000000001", true, 1L)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("-9223372036854775808", true, long.MinValue)]
    [InlineData("9223372036854775808", false, 0L)]
    [InlineData("-9223372036854775809", false, 0L)]
    [InlineData("", false, 0L)]
    [InlineData("-", false, 0L)]
    [InlineData("+-1", false, 0L)]
    [InlineData("1-", false, 0L)]
    [InlineData(" 1", false, 0L)]
    public void Signed_numbers(string text, bool ok, long expected)
    {
        foreach (var input in Cuts(text))
        {
            Assert.Equal(ok, RespReader.TryParseInt64(input, out var value));
            if (ok)
            {
                Assert.Equal(expected, value);
            }
        }
    }

    [Theory]
    [InlineData("+OK\r\n", RespStatus.Ok, "+OK")]
    [InlineData("+a\rb\r\n", RespStatus.Ok, "+a\rb")]
    [InlineData("\r\n", RespStatus.Ok, "")]
    [InlineData("+OK\n", RespStatus.Malformed, null)]
    [InlineData("\n", RespStatus.Malformed, null)]
    [InlineData("+OK\r", RespStatus.Incomplete, null)]
    [InlineData("+OKAY", RespStatus.Incomplete, null)]
    [InlineData("+OKAYS", RespStatus.AboveLimit, null)]
    [InlineData("+OKAY\r\n", RespStatus.AboveLimit, null)]
    public void Lines_with_a_four_byte_limit(string text, RespStatus expected, string? line)
    {
        foreach (var input in Cuts(text))
        {
            var reader = new SequenceReader<byte>(input);
            Assert.Equal(expected, RespReader.TryReadLine(ref reader, 4, out var read));
            if (expected == RespStatus.Ok)
            {
                Assert.Equal(line, Encoding.Latin1.GetString(read.ToArray()));
            }
        }
    }

    [Theory]
    [InlineData("abc\r\n", 3, RespStatus.Ok)]
    [InlineData("abc\r", 3, RespStatus.Incomplete)]
    [InlineData("abcd\r", 3, RespStatus.Malformed)]
    [InlineData("abc\n\r", 3, RespStatus.Malformed)]
    [InlineData("abc\r\n", -1, RespStatus.Malformed)]
    public void Bulk_content(string text, long length, RespStatus expected)
    {
        foreach (var input in Cuts(text))
        {
            var reader = new SequenceReader<byte>(input);
            Assert.Equal(expected, RespReader.TryReadBulkContent(ref reader, length, out var content));
            if (expected == RespStatus.Ok)
            {
                Assert.Equal("abc", Encoding.ASCII.GetString(content.ToArray()));
            }
        }
    }

    [Fact]
    public void Utf8_split_inside_a_character_decodes_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("zé€");
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal("zé€", RespReader.ToUtf8String(BufferSegment.Split(bytes, cut)));
        }
        Assert.False(RespReader.IsAscii(BufferSegment.PerByte(bytes)));
        Assert.Equal("n1", RespReader.ToAsciiString(BufferSegment.PerByte("n1"u8.ToArray())));
    }

    private static IEnumerable<ReadOnlySequence<byte>> Cuts(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        yield return new ReadOnlySequence<byte>(bytes);
        yield return BufferSegment.PerByte(bytes);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            yield return BufferSegment.Split(bytes, cut);
        }
    }
}
