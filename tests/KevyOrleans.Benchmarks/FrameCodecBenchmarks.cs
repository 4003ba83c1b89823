using System.Buffers;
using BenchmarkDotNet.Attributes;
using KevyOrleans.Protocol;

namespace KevyOrleans.Benchmarks;

/// <summary>The heartbeat path: every node decodes N-1 of these every 200 ms, per group.</summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private static readonly ElectionMessage Heartbeat = ElectionMessage.Heartbeat(42, "replica-east-1", Role.Replica, 1234567890);

    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _split;

    [GlobalSetup]
    public void Setup()
    {
        var frame = FrameEncoder.Encode(Heartbeat);
        _single = new ReadOnlySequence<byte>(frame);
        // Cuts inside the epoch and the node id, as a socket read boundary might fall.
        _split = Segment.Split(frame, 15, 30);
    }

    [Benchmark]
    public ElectionMessage DecodeHeartbeatSingleSegment()
    {
        FrameDecoder.TryDecode(_single, out var message, out _);
        return message;
    }

    [Benchmark]
    public ElectionMessage DecodeHeartbeatThreeSegments()
    {
        FrameDecoder.TryDecode(_split, out var message, out _);
        return message;
    }

    [Benchmark]
    public int EncodeHeartbeatIntoReusedWriter()
    {
        _writer.ResetWrittenCount();
        FrameEncoder.Write(_writer, Heartbeat);
        return _writer.WrittenCount;
    }
}
