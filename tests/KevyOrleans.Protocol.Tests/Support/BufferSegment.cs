using System.Buffers;

namespace KevyOrleans.Protocol.Tests.Support;

/// <summary>Builds multi-segment sequences; every segment gets its own array so no read can run past one.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(byte[] bytes, long runningIndex)
    {
        Memory = bytes;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence of <paramref name="bytes"/> cut at the given ascending positions (repeats give empty segments).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var first = new BufferSegment(bytes[..(cuts.Length == 0 ? bytes.Length : cuts[0])], 0);
        var last = first;
        for (var i = 0; i < cuts.Length; i++)
        {
            var end = i + 1 < cuts.Length ? cuts[i + 1] : bytes.Length;
            var next = new BufferSegment(bytes[cuts[i]..end], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the worst case for a reader.</summary>
    public static ReadOnlySequence<byte> PerByte(byte[] bytes) =>
        Split(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);
}
