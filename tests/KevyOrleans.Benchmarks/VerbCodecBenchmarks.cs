using System.Buffers;
using BenchmarkDotNet.Attributes;
using KevyOrleans.Protocol;

namespace KevyOrleans.Benchmarks;

/// <summary>Decode and encode of each verb, one segment, so the table shows time and allocations per verb side by side.</summary>
[MemoryDiagnoser]
public class VerbCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private ElectionMessage _message;
    private ReadOnlySequence<byte> _frame;

    [Params("HB", "OFFER", "ACCEPT", "ANNOUNCE")]
    public string Verb { get; set; } = "HB";

    [GlobalSetup]
    public void Setup()
    {
        // Ids and numbers of realistic length: decimal text of 10-digit offsets, a 14-character id.
        _message = Verb switch
        {
            "HB" => ElectionMessage.Heartbeat(42, "replica-east-1", Role.Replica, 1234567890),
            "OFFER" => ElectionMessage.Offer(43, "replica-east-1", 1234567890),
            "ACCEPT" => ElectionMessage.Accept(43, "replica-east-2"),
            _ => ElectionMessage.Announce(43, "replica-east-1", "10.0.0.11:6379"),
        };
        _frame = new ReadOnlySequence<byte>(FrameEncoder.Encode(_message));
    }

    [Benchmark]
    public ElectionMessage Decode()
    {
        FrameDecoder.TryDecode(_frame, out var message, out _);
        return message;
    }

    [Benchmark]
    public int EncodeIntoReusedWriter()
    {
        _writer.ResetWrittenCount();
        FrameEncoder.Write(_writer, _message);
        return _writer.WrittenCount;
    }
}
