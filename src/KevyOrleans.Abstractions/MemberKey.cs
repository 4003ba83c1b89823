namespace KevyOrleans.Abstractions;

/// <summary>Member grains are keyed <c>"{group}/{node}"</c>; group names never contain '/'.</summary>
public static class MemberKey
{
    /// <summary>The member grain key of <paramref name="node"/> in <paramref name="group"/>.</summary>
    /// <param name="group">The group name.</param>
    /// <param name="node">The member's node id.</param>
    public static string Format(string group, string node) => $"{group}/{node}";

    /// <summary>Splits a member grain key at its first '/'; throws <see cref="ArgumentException"/> when either part is empty.</summary>
    /// <param name="key">A key of the form <c>group/node</c>.</param>
    public static (string Group, string Node) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"member grain key '{key}' is not of the form group/node", nameof(key));
        }
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Group names: 1-64 characters of letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidGroupName(string? name, out string? error)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            error = $"group name '{name}' must be 1-64 characters of letters, digits, '-', '_' or '.'";
            return false;
        }
        error = null;
        return true;
    }
}
