namespace KevyOrleans.Hosting;

/// <summary>Provider and kind names in configuration: matched by name, ignoring case; numbers are not names.</summary>
internal static class ProviderName
{
    /// <summary>The member of <typeparamref name="T"/> named <paramref name="text"/> (any case), or null.</summary>
    public static T? Parse<T>(string? text) where T : struct, Enum
    {
        foreach (var name in Enum.GetNames<T>())
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return Enum.Parse<T>(name);
            }
        }
        return null;
    }
}
