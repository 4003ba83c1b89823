namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// A grain state file exists but cannot be trusted: short header, bad magic, wrong length, checksum
/// mismatch, a record of another grain, or a payload that does not deserialize. The storage never
/// treats such a file as "no record": an election state read as fresh would forget a vote.
/// </summary>
public sealed class CorruptGrainStateException : Exception
{
    /// <summary>The state file at <paramref name="filePath"/> is corrupt because of <paramref name="problem"/>.</summary>
    /// <param name="filePath">The full path of the offending file.</param>
    /// <param name="problem">What is wrong with it, without the path.</param>
    /// <param name="inner">The failure behind it, such as a deserialization error; null when none.</param>
    public CorruptGrainStateException(string filePath, string problem, Exception? inner = null)
        : base($"Grain state file '{filePath}' is corrupt: {problem}. Restore it from a backup or move it aside deliberately; it is never read as empty.", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>A corrupt state file, neither path nor problem known.</summary>
    public CorruptGrainStateException() : this("(unknown)", "unspecified") { }

    /// <summary>A corrupt state file described by <paramref name="message"/>; the path is unknown.</summary>
    /// <param name="message">What is wrong; also used as <see cref="Problem"/>.</param>
    public CorruptGrainStateException(string message) : base(message)
    {
        FilePath = "(unknown)";
        Problem = message;
    }

    /// <summary>A corrupt state file described by <paramref name="message"/>, caused by <paramref name="inner"/>; the path is unknown.</summary>
    /// <param name="message">What is wrong; also used as <see cref="Problem"/>.</param>
    /// <param name="inner">The failure behind it.</param>
    public CorruptGrainStateException(string message, Exception inner) : base(message, inner)
    {
        FilePath = "(unknown)";
        Problem = message;
    }

    /// <summary>The full path of the offending file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
