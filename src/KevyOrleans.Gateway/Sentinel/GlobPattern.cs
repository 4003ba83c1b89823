namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// Redis' glob matching for <c>PSUBSCRIBE</c> (<c>stringmatchlen</c>): <c>*</c> any run, <c>?</c> one
/// character, <c>[abc]</c>, <c>[^abc]</c> and <c>[a-z]</c> classes, <c>\</c> escapes the next character.
/// Ordinal and case-sensitive, as channel names are.
/// </summary>
public static class GlobPattern
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (!pattern.IsEmpty)
        {
            switch (pattern[0])
            {
                case '*':
                    while (pattern.Length > 1 && pattern[1] == '*')
                    {
                        pattern = pattern[1..];
                    }
                    if (pattern.Length == 1)
                    {
                        return true;
                    }
                    for (var i = 0; i <= text.Length; i++)
                    {
                        if (IsMatch(pattern[1..], text[i..]))
                        {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (text.IsEmpty)
                    {
                        return false;
                    }
                    text = text[1..];
                    pattern = pattern[1..];
                    break;
                case '[':
                    if (text.IsEmpty || !MatchClass(ref pattern, text[0]))
                    {
                        return false;
                    }
                    text = text[1..];
                    break;
                default:
                    if (pattern[0] == '\\' && pattern.Length >= 2)
                    {
                        pattern = pattern[1..];
                    }
                    if (text.IsEmpty || pattern[0] != text[0])
                    {
                        return false;
                    }
                    text = text[1..];
                    pattern = pattern[1..];
                    break;
            }
        }
        return text.IsEmpty;
    }

    /// <summary>Matches <paramref name="c"/> against the class at the start of <paramref name="pattern"/> and moves past it.</summary>
    private static bool MatchClass(ref ReadOnlySpan<char> pattern, char c)
    {
        pattern = pattern[1..];
        var negate = !pattern.IsEmpty && pattern[0] == '^';
        if (negate)
        {
            pattern = pattern[1..];
        }
        var match = false;
        while (!pattern.IsEmpty && pattern[0] != ']')
        {
            if (pattern[0] == '\\' && pattern.Length >= 2)
            {
                pattern = pattern[1..];
                match |= pattern[0] == c;
                pattern = pattern[1..];
            }
            else if (pattern.Length >= 3 && pattern[1] == '-' && pattern[2] != ']')
            {
                var (low, high) = pattern[0] <= pattern[2] ? (pattern[0], pattern[2]) : (pattern[2], pattern[0]);
                match |= c >= low && c <= high;
                pattern = pattern[3..];
            }
            else
            {
                match |= pattern[0] == c;
                pattern = pattern[1..];
            }
        }
        if (!pattern.IsEmpty)
        {
            pattern = pattern[1..]; // the closing ']'
        }
        return negate ? !match : match;
    }
}
