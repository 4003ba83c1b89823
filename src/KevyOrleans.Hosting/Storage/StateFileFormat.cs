using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// The bytes of one grain state file (all integers little-endian):
/// <code>
///  0  4  magic "KVGS"
///  4  2  format version (1)
///  6  2  header length (32)
///  8  8  record version, the ETag
/// 16  4  identity length in bytes
/// 20  4  payload length in bytes
/// 24  8  XxHash64 of bytes 0..24, the identity and the payload
/// 32     identity (ASCII, the escaped file identity), then the payload
/// </code>
/// The checksum covers the header too, so a flipped version or length is caught like a flipped
/// payload byte. The exact total length is implied, so truncation and trailing garbage are caught.
/// </summary>
internal static class StateFileFormat
{
    public const ushort FormatVersion = 1;
    public const int HeaderLength = 32;
    private const int ChecksumOffset = 24;

    private static ReadOnlySpan<byte> Magic => "KVGS"u8;

    public static byte[] Encode(ulong version, string identity, ReadOnlySpan<byte> payload)
    {
        var identityLength = Encoding.ASCII.GetByteCount(identity);
        var bytes = new byte[HeaderLength + identityLength + payload.Length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], HeaderLength);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)identityLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)payload.Length);
        Encoding.ASCII.GetBytes(identity, span[HeaderLength..]);
        payload.CopyTo(span[(HeaderLength + identityLength)..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[ChecksumOffset..], Checksum(span));
        return bytes;
    }

    /// <summary>Checks every field and returns the version and payload; throws on any defect.</summary>
    public static StoredRecord Decode(string path, byte[] bytes, string expectedIdentity)
    {
        var span = bytes.AsSpan();
        if (span.Length < HeaderLength)
        {
            throw new CorruptGrainStateException(path, $"truncated: {span.Length} bytes, shorter than the {HeaderLength}-byte header");
        }
        if (!span[..4].SequenceEqual(Magic))
        {
            throw new CorruptGrainStateException(path, $"bad magic 0x{Convert.ToHexString(span[..4])}, expected \"KVGS\"");
        }
        var format = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
        if (format != FormatVersion || headerLength != HeaderLength)
        {
            throw new CorruptGrainStateException(path, $"unsupported format {format} with a {headerLength}-byte header; this build reads format {FormatVersion}");
        }
        var identityLength = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        var expectedLength = (long)HeaderLength + identityLength + payloadLength;
        if (expectedLength != span.Length)
        {
            throw new CorruptGrainStateException(path, $"length mismatch: the header announces {expectedLength} bytes, the file has {span.Length}");
        }
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(span[ChecksumOffset..]);
        var actual = Checksum(span);
        if (stored != actual)
        {
            throw new CorruptGrainStateException(path, $"checksum mismatch: stored {stored:x16}, computed {actual:x16}");
        }
        var identity = Encoding.ASCII.GetString(span.Slice(HeaderLength, (int)identityLength));
        if (!string.Equals(identity, expectedIdentity, StringComparison.Ordinal))
        {
            throw new CorruptGrainStateException(path, $"it holds the state '{identity}', not '{expectedIdentity}'");
        }
        var version = BinaryPrimitives.ReadUInt64LittleEndian(span[8..]);
        return new StoredRecord(version, bytes.AsMemory(HeaderLength + (int)identityLength, (int)payloadLength));
    }

    private static ulong Checksum(ReadOnlySpan<byte> file)
    {
        var hash = new XxHash64();
        hash.Append(file[..ChecksumOffset]);
        hash.Append(file[HeaderLength..]);
        return hash.GetCurrentHashAsUInt64();
    }
}

/// <summary>A verified record: its version (the ETag) and its serialized state.</summary>
internal readonly record struct StoredRecord(ulong Version, ReadOnlyMemory<byte> Payload);
