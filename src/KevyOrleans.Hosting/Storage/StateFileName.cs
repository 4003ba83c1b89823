using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// The file of one grain state: <c>{state}.{grain type}.{grain key}.state</c>, each part escaped.
/// ASCII letters, digits, '-' and '_' stay as they are so names stay readable ("orders/n1" becomes
/// "orders%2Fn1"); every other byte, '.' and '%' included, becomes %XX. The escaping is injective
/// and the parts are joined by '.', which never occurs inside a part, so two states never share a
/// file on a case-sensitive file system. The escaped name is also stored inside the file and checked
/// on every read, so a collision elsewhere (a case-insensitive volume, a hashed long name, a file
/// copied to the wrong name) surfaces as an error instead of another grain's state.
/// </summary>
internal readonly record struct StateFileName
{
    public const string Extension = ".state";
    public const string TempExtension = ".tmp";

    // Most file systems cap a name at 255 bytes; 200 leaves room for ".state" and the temp suffix
    // ".{32 hex}.tmp". Longer identities keep a readable prefix and end in a hash; '~' cannot occur
    // in an escaped name, so hashed names never equal readable ones.
    private const int MaxReadableLength = 200;
    private const int HashedPrefixLength = 120;

    private StateFileName(string identity, string fileName)
    {
        Identity = identity;
        FileName = fileName;
    }

    /// <summary>The full escaped identity, stored in the file's header.</summary>
    public string Identity { get; }

    /// <summary>The file name inside the root directory.</summary>
    public string FileName { get; }

    public static StateFileName For(string stateName, GrainId grainId)
    {
        var builder = new StringBuilder(64);
        Escape(builder, Encoding.UTF8.GetBytes(stateName));
        builder.Append('.');
        Escape(builder, grainId.Type.AsSpan());
        builder.Append('.');
        Escape(builder, grainId.Key.AsSpan());
        var identity = builder.ToString();
        if (identity.Length <= MaxReadableLength)
        {
            return new StateFileName(identity, identity + Extension);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(identity)).AsSpan(0, 16));
        return new StateFileName(identity, $"{identity[..HashedPrefixLength]}~{hash}{Extension}");
    }

    private static void Escape(StringBuilder builder, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2"));
            }
        }
    }
}
