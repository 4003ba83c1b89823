using System.Diagnostics.CodeAnalysis;

namespace KevyOrleans.Protocol;

/// <summary>
/// Rules for node ids: 1 to 32 bytes of printable ASCII without spaces, never <c>*</c>.
/// Ids stay plain strings everywhere (they are dictionary keys and wire fields);
/// this class is the one place that says what a valid one is.
/// </summary>
public static class NodeId
{
    /// <summary>Longest allowed node id, in bytes.</summary>
    public const int MaxLength = 32;

    /// <summary>Checks <paramref name="id"/>; on failure <paramref name="error"/> says why, quoting the id.</summary>
    public static bool IsValid([NotNullWhen(true)] string? id, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(id))
        {
            error = "node id is empty";
            return false;
        }
        if (id.Length > MaxLength)
        {
            error = $"node id '{id}' is {id.Length} bytes long; at most {MaxLength} are allowed";
            return false;
        }
        if (id == "*")
        {
            error = "node id '*' is reserved";
            return false;
        }
        foreach (var c in id)
        {
            // Printable ASCII without space: '!' (0x21) .. '~' (0x7E).
            if (c is < '!' or > '~')
            {
                error = $"node id '{id}' contains {(c == ' ' ? "a space" : $"the character U+{(int)c:X4}")}; only printable ASCII without spaces is allowed";
                return false;
            }
        }
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="id"/> is a valid node id.</summary>
    /// <param name="id">The candidate id.</param>
    public static bool IsValid([NotNullWhen(true)] string? id) => IsValid(id, out _);

    /// <summary>Returns <paramref name="id"/> or throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static string Validate(string? id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? paramName = null)
    {
        if (!IsValid(id, out var error))
        {
            throw new ArgumentException(error, paramName);
        }
        return id;
    }

    /// <summary>Byte-wise order of ids, as kevy compares them (ids are ASCII, so ordinal equals byte-wise).</summary>
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);
}
