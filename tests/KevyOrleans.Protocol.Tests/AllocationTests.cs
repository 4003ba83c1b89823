using System.Buffers;
using System.Text;
using KevyOrleans.Protocol.Tests.Support;

namespace KevyOrleans.Protocol.Tests;

/// <summary>The hot path allocates only what it hands out: the sender id string.</summary>
public class AllocationTests
{
    private const int Iterations = 1000;
    private static readonly ElectionMessage Heartbeat = ElectionMessage.Heartbeat(123456789, "replica-east-1", Role.Replica, 987654321);
    private static readonly byte[] Frame = FrameEncoder.Encode(Heartbeat);

    [Fact]
    public void Decoding_a_heartbeat_allocates_only_the_node_id()
    {
        var input = new ReadOnlySequence<byte>(Frame);
        Assert.Equal(IdStringBytes(), BytesForDecodes(input));
    }

    [Fact]
    public void Decoding_a_heartbeat_split_across_segments_allocates_only_the_node_id()
    {
        // Cuts inside the verb, the epoch, the node id (two), the role and the offset.
        var input = BufferSegment.Split(Frame, 9, 16, 30, 34, 44, 60);
        Assert.False(input.IsSingleSegment);
        Assert.Equal(IdStringBytes(), BytesForDecodes(input));
    }

    [Fact]
    public void Encoding_into_a_presized_buffer_writer_allocates_nothing()
    {
        var writer = new ArrayBufferWriter<byte>(256);
        for (var i = 0; i < 100; i++)
        {
            writer.ResetWrittenCount();
            FrameEncoder.Write(writer, Heartbeat);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            writer.ResetWrittenCount();
            FrameEncoder.Write(writer, Heartbeat);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(Frame, writer.WrittenSpan.ToArray());
    }

    // Total over Iterations decodes, so even one stray allocation in a thousand shows.
    private static long BytesForDecodes(ReadOnlySequence<byte> input)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(input, out _, out _));
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            FrameDecoder.TryDecode(input, out _, out _);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(DecodeStatus.Ok, FrameDecoder.TryDecode(input, out var message, out _));
        Assert.Equal(Heartbeat, message);
        return allocated;
    }

    // What the runtime charges for Iterations strings of the id's length, measured rather than assumed.
    private static long IdStringBytes()
    {
        var id = Encoding.ASCII.GetBytes(Heartbeat.SenderId);
        for (var i = 0; i < 100; i++)
        {
            _ = Encoding.ASCII.GetString(id);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            _ = Encoding.ASCII.GetString(id);
        }
        var total = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(total / Iterations, 2 * id.Length, 2 * id.Length + 32);
        return total;
    }
}
