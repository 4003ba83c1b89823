namespace KevyOrleans.Hosting;

/// <summary>
/// One configuration error: the key it concerns (the full path, such as <c>Kevy:Timings:HeartbeatMs</c>),
/// the value found there (null when the error is about a missing or combined value), and the message an
/// operator reads, which names the key and the value itself.
/// </summary>
/// <param name="Key">The configuration path the error concerns.</param>
/// <param name="Value">The offending value as configured, or null.</param>
/// <param name="Message">The full sentence reported, naming the key and the value.</param>
public sealed record ConfigurationError(string Key, string? Value, string Message)
{
    /// <summary>The message: what the silo prints and the options validation reports.</summary>
    public override string ToString() => Message;
}
