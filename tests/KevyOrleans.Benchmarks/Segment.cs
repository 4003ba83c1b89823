using System.Buffers;

namespace KevyOrleans.Benchmarks;

/// <summary>Builds a multi-segment sequence, one array per segment.</summary>
internal sealed class Segment : ReadOnlySequenceSegment<byte>
{
    private Segment(byte[] bytes, long runningIndex)
    {
        Memory = bytes;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Prepend(0).Append(bytes.Length).ToArray();
        var first = new Segment(bytes[bounds[0]..bounds[1]], 0);
        var last = first;
        for (var i = 1; i + 1 < bounds.Length; i++)
        {
            var next = new Segment(bytes[bounds[i]..bounds[i + 1]], bounds[i]);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
