namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// A grain state file exists but cannot be trusted: short header, bad magic, wrong length, checksum
/// mismatch, a record of another grain, or a payload that does not deserialize. The storage never
/// treats such a file as "no record": an election state read as fresh would forget a vote.
/// </summary>
public sealed class CorruptGrainStateException : Exception
{
    public CorruptGrainStateException(string filePath, string problem, Exception? inner = null)
        : base($"Grain state file '{filePath}' is corrupt: {problem}. Restore it from a backup or move it aside deliberately; it is never read as empty.", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    public CorruptGrainStateException() : this("(unknown)", "unspecified") { }

    public CorruptGrainStateException(string message) : base(message)
    {
        FilePath = "(unknown)";
        Problem = message;
    }

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
