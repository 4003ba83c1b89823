using System.Buffers;
using System.Text;
using CsCheck;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Protocol.Tests.Resp;

/// <summary>The shared writer: a command's exact bytes, and that the shared reader reads back what it wrote.</summary>
public class RespWriterTests
{
    [Fact]
    public void A_command_is_an_array_of_utf8_bulk_strings()
    {
        var writer = new ArrayBufferWriter<byte>(1);
        RespWriter.WriteCommand(writer, ["SET", "k€", ""]);
        Assert.Equal("*3\r\n$3\r\nSET\r\n$4\r\nk€\r\n$0\r\n\r\n", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void A_command_without_arguments_is_refused() =>
        Assert.Throws<ArgumentException>(() => RespWriter.WriteCommand(new ArrayBufferWriter<byte>(), []));

    [Fact]
    public void Lengths_match_what_is_written()
    {
        Span<byte> span = stackalloc byte[64];
        foreach (var value in new ulong[] { 0, 9, 10, 99, 100, 1234567890, ulong.MaxValue })
        {
            Assert.Equal(RespWriter.BulkLength(RespWriter.CountDigits(value)), RespWriter.WriteBulkNumber(span, value));
        }
        foreach (var count in new[] { 0, 3, 10, 1024 })
        {
            Assert.Equal(RespWriter.ArrayHeaderLength(count), RespWriter.WriteArrayHeader(span, count));
        }
        Assert.Equal(RespWriter.BulkLength(5), RespWriter.WriteBulkAscii(span, "hello"));
    }

    [Fact]
    public void Every_command_reads_back_as_itself() =>
        Gen.String.Array[1, 12].Sample(command =>
        {
            var writer = new ArrayBufferWriter<byte>();
            RespWriter.WriteCommand(writer, command);
            var status = RespReplyReader.TryRead(new ReadOnlySequence<byte>(writer.WrittenMemory), out var value, out var consumed, out _);
            // Lone surrogates do not survive UTF-8; compare with what UTF-8 makes of them.
            var expected = command.Select(a => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(a)));
            return status == RespStatus.Ok && consumed == writer.WrittenCount && value!.Items!.Select(i => i.Text).SequenceEqual(expected);
        });
}
