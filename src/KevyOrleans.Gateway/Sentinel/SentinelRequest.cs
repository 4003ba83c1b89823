using System.Buffers;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// One client request from buffered bytes, read with the shared RESP reader (<see cref="RespReplyReader"/>,
/// <see cref="RespReader"/>): a RESP array of bulk strings, as every client library sends, or an inline
/// command (a CRLF-terminated line of space-separated words, as <c>nc</c> and HAProxy's redis-check send).
/// </summary>
internal static class SentinelRequest
{
    private static readonly string[] Known =
    [
        "PING", "AUTH", "HELLO", "INFO", "ROLE", "SENTINEL", "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "QUIT",
    ];

    /// <summary>
    /// Reads the first request of <paramref name="buffer"/> and moves its start past it. On
    /// <see cref="RespStatus.Ok"/>, <paramref name="args"/> is the command and its arguments, or null for an
    /// empty request (<c>*0</c>, a blank line); <see cref="RespStatus.Incomplete"/> leaves the buffer as it was.
    /// </summary>
    public static RespStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxRequestBytes, out string[]? args, out string? error)
    {
        args = null;
        error = null;
        if (buffer.IsEmpty)
        {
            return RespStatus.Incomplete;
        }
        if (buffer.FirstSpan[0] != (byte)'*')
        {
            return TryReadInline(ref buffer, maxRequestBytes, out args, out error);
        }
        var status = RespReplyReader.TryRead(buffer, out var value, out var consumed, out error);
        if (status != RespStatus.Ok)
        {
            return status;
        }
        if (value!.Kind == RespKind.Null || value.Items is { Count: 0 })
        {
            buffer = buffer.Slice(consumed);
            return RespStatus.Ok;
        }
        if (value.Items!.Any(i => i.Kind != RespKind.BulkString))
        {
            error = "a request must be an array of bulk strings";
            return RespStatus.Malformed;
        }
        args = [.. value.Items!.Select(i => i.Text!)];
        buffer = buffer.Slice(consumed);
        return RespStatus.Ok;
    }

    /// <summary>The command's name for the metric: known commands by name, anything else as <c>other</c> (bounded tag values).</summary>
    public static string CommandTag(string command)
    {
        var upper = command.ToUpperInvariant();
        return Array.IndexOf(Known, upper) >= 0 ? upper : "other";
    }

    private static RespStatus TryReadInline(ref ReadOnlySequence<byte> buffer, int maxRequestBytes, out string[]? args, out string? error)
    {
        args = null;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        var status = RespReader.TryReadLine(ref reader, maxRequestBytes, out var line);
        if (status == RespStatus.Malformed)
        {
            error = "an inline command must end with CRLF";
        }
        else if (status == RespStatus.AboveLimit)
        {
            error = $"an inline command is longer than {maxRequestBytes} bytes";
        }
        if (status != RespStatus.Ok)
        {
            return status;
        }
        var words = RespReader.ToUtf8String(line).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        args = words.Length == 0 ? null : words;
        buffer = buffer.Slice(reader.Position);
        return RespStatus.Ok;
    }
}
