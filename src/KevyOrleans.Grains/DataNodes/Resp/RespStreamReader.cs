using System.Buffers;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Grains.DataNodes.Resp;

/// <summary>
/// Reads RESP2 replies from a stream through its own buffer; the parsing is the shared
/// <see cref="RespReplyReader"/>. A reply may arrive split anywhere, one byte at a time or several
/// replies in one read; the reader keeps whatever it read beyond the reply for the next one. The
/// reply reader's limits bound what a broken or hostile peer can make it hold.
/// </summary>
internal sealed class RespStreamReader(Stream stream)
{
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>The next reply; <see cref="RespProtocolException"/> when the bytes are not RESP2 or exceed the limits.</summary>
    public async ValueTask<RespValue> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_end > _start)
            {
                var status = RespReplyReader.TryRead(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), out var value, out var consumed, out var error);
                if (status == RespStatus.Ok)
                {
                    _start += (int)consumed;
                    return value!;
                }
                if (status != RespStatus.Incomplete)
                {
                    throw new RespProtocolException(error ?? "malformed reply");
                }
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads at least one more byte into the buffer, compacting or growing it first when full.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException("the data node closed the connection");
        }
        _end += read;
    }
}
