using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Protocol.Tests.Support;

namespace KevyOrleans.Protocol.Tests.Resp;

/// <summary>
/// The shared reply reader on every kind of bad input, cut at every position: it never throws, never
/// reads a reply out of a prefix, and refuses with the same reason however the bytes are segmented.
/// </summary>
public class RespReplyReaderTests
{
    private const string Mixed = "*5\r\n+OK\r\n-ERR inside an array\r\n:-42\r\n$-1\r\n*2\r\n$5\r\nhello\r\n$0\r\n\r\n";

    private static readonly string[] Valid =
    [
        "+OK\r\n", "-ERR no\r\n", ":0\r\n", ":-9223372036854775808\r\n", ":+7\r\n", ":0009\r\n", "$-1\r\n", "*-1\r\n",
        "$0\r\n\r\n", "$5\r\nhe\r\no\r\n", "*0\r\n", "+a\rb\r\n", Mixed,
    ];

    public static TheoryData<string, RespStatus, string> Malformed => new()
    {
        { "\r\n", RespStatus.Malformed, "empty reply line" },
        { "+OK\n", RespStatus.Malformed, "line not terminated by CRLF" },
        { "\n", RespStatus.Malformed, "line not terminated by CRLF" },
        { "HTTP/1.1 400 Bad Request\r\n\r\n", RespStatus.Malformed, "unexpected reply type byte 0x48" },
        { "!5\r\n", RespStatus.Malformed, "unexpected reply type byte 0x21" },
        { ":\r\n", RespStatus.Malformed, "integer '' is not a number" },
        { ":12a\r\n", RespStatus.Malformed, "integer '12a' is not a number" },
        { ": 1\r\n", RespStatus.Malformed, "integer ' 1' is not a number" },
        { ":-\r\n", RespStatus.Malformed, "integer '-' is not a number" },
        { ":9223372036854775808\r\n", RespStatus.Malformed, "integer '9223372036854775808' is not a number" },
        { ":-9223372036854775809\r\n", RespStatus.Malformed, "is not a number" },
        { ":" + new string('1', 40) + "\r\n", RespStatus.Malformed, "'11111111111111111111111111111111...' is not a number" },
        { "$x\r\n", RespStatus.Malformed, "bulk length 'x' is not a number" },
        { "$-2\r\n", RespStatus.AboveLimit, "bulk length -2 is outside" },
        { "$4194305\r\n", RespStatus.AboveLimit, "bulk length 4194305 is outside 0..4194304" },
        { "$3\r\nabcXY", RespStatus.Malformed, "bulk string not followed by CRLF" },
        { "$3\r\nabc\n\r", RespStatus.Malformed, "bulk string not followed by CRLF" },
        { "*x\r\n", RespStatus.Malformed, "array length 'x' is not a number" },
        { "*-2\r\n", RespStatus.AboveLimit, "array of -2 items" },
        { "*1025\r\n", RespStatus.AboveLimit, "array of 1025 items at depth 0" },
        { "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*0\r\n", RespStatus.AboveLimit, "at depth 8" },
        { "*2\r\n+OK\r\n!\r\n", RespStatus.Malformed, "unexpected reply type byte 0x21" },
        { "*1\r\n$2\r\nabc\r\n", RespStatus.Malformed, "bulk string not followed by CRLF" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_is_refused_with_its_reason_however_it_is_cut(string text, RespStatus expected, string reason)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        foreach (var input in AllCuts(bytes))
        {
            var status = RespReplyReader.TryRead(input, out var value, out var consumed, out var error);
            Assert.Equal(expected, status);
            Assert.Null(value);
            Assert.Equal(0, consumed);
            Assert.Contains(reason, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Eight_nested_arrays_are_still_read()
    {
        var text = string.Concat(Enumerable.Repeat("*1\r\n", 8)) + "+deep\r\n";
        Assert.Equal(RespStatus.Ok, RespReplyReader.TryRead(Sequence(text), out var value, out _, out _));
        for (var i = 0; i < 8; i++)
        {
            value = Assert.Single(value!.Items!);
        }
        Assert.Equal("deep", value!.Text);
    }

    [Fact]
    public void Every_prefix_of_a_valid_reply_is_incomplete_under_every_cut()
    {
        foreach (var text in Valid)
        {
            var bytes = Encoding.Latin1.GetBytes(text);
            for (var length = 0; length < bytes.Length; length++)
            {
                foreach (var input in AllCuts(bytes[..length]))
                {
                    Assert.Equal(RespStatus.Incomplete, RespReplyReader.TryRead(input, out var value, out var consumed, out var error));
                    Assert.Null(value);
                    Assert.Equal(0, consumed);
                    Assert.Null(error);
                }
            }
        }
    }

    [Fact]
    public void A_valid_reply_reads_the_same_under_every_cut_and_consumes_only_itself()
    {
        foreach (var text in Valid)
        {
            var bytes = Encoding.Latin1.GetBytes(text + "+next\r\n");
            var expected = Show(Read(new ReadOnlySequence<byte>(bytes), out var consumed));
            Assert.Equal(text.Length, consumed);
            foreach (var input in AllCuts(bytes))
            {
                Assert.Equal(expected, Show(Read(input, out consumed)));
                Assert.Equal(text.Length, consumed);
            }
        }
    }

    [Fact]
    public void The_mixed_reply_has_every_type()
    {
        var value = Read(Sequence(Mixed), out _);
        Assert.Equal("*[+OK,-ERR inside an array,:-42,(nil),*[$hello,$]]", Show(value));
        Assert.Equal(long.MinValue, Read(Sequence(":-9223372036854775808\r\n"), out _).Integer);
    }

    [Fact]
    public void Every_single_byte_change_of_a_valid_reply_is_judged_without_throwing_and_alike_under_every_cut()
    {
        byte[] alphabet = [.. "+-:$*\r\n0123456789aZ \0"u8, 0x80, 0xFF];
        foreach (var text in Valid)
        {
            var original = Encoding.Latin1.GetBytes(text);
            for (var i = 0; i < original.Length; i++)
            {
                foreach (var b in alphabet)
                {
                    var bytes = (byte[])original.Clone();
                    bytes[i] = b;
                    var whole = Outcome(new ReadOnlySequence<byte>(bytes));
                    Assert.Equal(whole, Outcome(BufferSegment.PerByte(bytes)));
                    Assert.Equal(whole, Outcome(BufferSegment.Split(bytes, i)));
                }
            }
        }
    }

    [Fact]
    public void A_line_without_its_end_is_refused_once_it_is_longer_than_the_limit()
    {
        var line = new byte[RespReplyReader.MaxLineBytes + 2];
        line.AsSpan().Fill((byte)'a');
        line[0] = (byte)'+';
        Assert.Equal(RespStatus.Incomplete, RespReplyReader.TryRead(new ReadOnlySequence<byte>(line[..^1]), out _, out _, out _));
        Assert.Equal(RespStatus.AboveLimit, RespReplyReader.TryRead(new ReadOnlySequence<byte>(line), out _, out _, out var error));
        Assert.Contains("longer than 65536 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bulk_string_above_the_limit_is_refused_at_its_header_before_its_content_arrives() =>
        Assert.Equal(RespStatus.AboveLimit, RespReplyReader.TryRead(Sequence($"${RespReplyReader.MaxBulkBytes + 1}\r\nabc"), out _, out _, out _));

    private static (RespStatus, string, long, string?) Outcome(in ReadOnlySequence<byte> input)
    {
        var status = RespReplyReader.TryRead(input, out var value, out var consumed, out var error);
        Assert.True(consumed <= input.Length);
        Assert.Equal(status == RespStatus.Ok, value is not null);
        Assert.Equal(status is RespStatus.Malformed or RespStatus.AboveLimit, error is not null);
        return (status, value is null ? "" : Show(value), consumed, error);
    }

    private static RespValue Read(in ReadOnlySequence<byte> input, out long consumed)
    {
        Assert.Equal(RespStatus.Ok, RespReplyReader.TryRead(input, out var value, out consumed, out var error));
        Assert.Null(error);
        return value!;
    }

    private static string Show(RespValue value) => value.Kind switch
    {
        RespKind.Array => $"*[{string.Join(",", value.Items!.Select(Show))}]",
        RespKind.BulkString => $"${value.Text}",
        _ => value.ToString(),
    };

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.Latin1.GetBytes(text));

    /// <summary>One segment, one per byte, and every two-piece cut (empty first and last pieces included).</summary>
    private static IEnumerable<ReadOnlySequence<byte>> AllCuts(byte[] bytes)
    {
        yield return new ReadOnlySequence<byte>(bytes);
        yield return BufferSegment.PerByte(bytes);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            yield return BufferSegment.Split(bytes, cut);
        }
    }
}
