using System.Text;
using System.Text.Json;

namespace KevyOrleans.Protocol.Tests.Support;

/// <summary>
/// Loads the repository's copy of the golden frames, &lt;dir with KevyOrleans.sln&gt;/tests/golden/frames.json,
/// so a fresh clone with nothing beside it passes; KEVY_GOLDEN_FRAMES overrides that.
/// <see cref="GoldenFramesCopyTests"/> checks the copy against the shared original where one is present.
/// </summary>
internal static class GoldenFrames
{
    public const string EnvironmentVariable = "KEVY_GOLDEN_FRAMES";

    private static readonly Lazy<(JsonDocument? Document, string Problem)> Loaded = new(Load);

    /// <summary>The parsed file; fails the calling test with a clear message when it cannot be found or read.</summary>
    public static JsonElement Root
    {
        get
        {
            var (document, problem) = Loaded.Value;
            Assert.True(document is not null, problem);
            return document!.RootElement;
        }
    }

    /// <summary>Names of the entries in one section, or a single placeholder that fails when the file is missing.</summary>
    public static IEnumerable<object[]> Names(string section)
    {
        var (document, _) = Loaded.Value;
        if (document is null)
        {
            // A theory with no data would pass silently; this placeholder makes the missing file a failure.
            return [["(golden file not found)"]];
        }
        return document.RootElement.GetProperty(section).EnumerateArray()
            .Select(e => new object[] { e.GetProperty("name").GetString()! })
            .ToList();
    }

    public static JsonElement Entry(string section, string name) =>
        Root.GetProperty(section).EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);

    /// <summary>The file says every byte is ASCII; Latin-1 keeps a stray high char visible instead of hiding it.</summary>
    public static byte[] Bytes(JsonElement entry) => Encoding.Latin1.GetBytes(entry.GetProperty("bytes").GetString()!);

    public static ElectionMessage Message(JsonElement m)
    {
        var verb = m.GetProperty("verb").GetString();
        return verb switch
        {
            "HB" => ElectionMessage.Heartbeat(
                m.GetProperty("epoch").GetUInt64(), m.GetProperty("node_id").GetString()!,
                ParseRole(m.GetProperty("role").GetString()!), m.GetProperty("repl_offset").GetUInt64()),
            "OFFER" => ElectionMessage.Offer(
                m.GetProperty("new_epoch").GetUInt64(), m.GetProperty("candidate_id").GetString()!, m.GetProperty("repl_offset").GetUInt64()),
            "ACCEPT" => ElectionMessage.Accept(m.GetProperty("epoch").GetUInt64(), m.GetProperty("accepter_id").GetString()!),
            "ANNOUNCE" => ElectionMessage.Announce(
                m.GetProperty("epoch").GetUInt64(), m.GetProperty("new_primary_id").GetString()!, m.GetProperty("new_primary_addr").GetString()!),
            _ => throw new InvalidDataException($"golden file: unknown verb '{verb}'"),
        };
    }

    private static Role ParseRole(string role) => role switch
    {
        "primary" => Role.Primary,
        "replica" => Role.Replica,
        "candidate" => Role.Candidate,
        _ => throw new InvalidDataException($"golden file: unknown role '{role}'"),
    };

    private static (JsonDocument?, string) Load()
    {
        var path = Locate(out var searched);
        if (path is null)
        {
            return (null, $"golden frames not found; set {EnvironmentVariable} to the path of frames.json. Looked at: {searched}");
        }
        try
        {
            return (JsonDocument.Parse(File.ReadAllText(path)), "");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return (null, $"golden frames at '{path}' could not be read: {e.Message}");
        }
    }

    /// <summary>The shared original beside the repository (../shared/golden/frames.json), when one is present.</summary>
    public static string? SharedOriginal()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "golden", "frames.json"));
                return File.Exists(shared) ? shared : null;
            }
        }
        return null;
    }

    private static string? Locate(out string searched)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            searched = $"{EnvironmentVariable}='{fromEnvironment}'";
            return File.Exists(fromEnvironment) ? fromEnvironment : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "tests", "golden", "frames.json"));
                searched = candidate;
                return File.Exists(candidate) ? candidate : null;
            }
        }
        searched = $"no directory above '{AppContext.BaseDirectory}' contains KevyOrleans.sln";
        return null;
    }
}
