using System.Text.RegularExpressions;
using KevyOrleans.Hosting;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The configuration reference (silo/README.md, "Configuration reference") documents exactly the keys the
/// options classes accept: a key added to the model without a row, or a row for a key that no longer exists,
/// fails here.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    [Fact]
    public void Every_key_of_the_model_is_in_the_reference_and_every_documented_key_exists()
    {
        var model = ModelKeys().ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedKeys(File.ReadAllLines(ReadmePath())).ToHashSet(StringComparer.Ordinal);
        Assert.True(model.Count > 40, $"the model has only {model.Count} keys: the walk over the options classes is broken");
        Assert.Equal([], model.Except(documented).Order(StringComparer.Ordinal));
        Assert.Equal([], documented.Except(model).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_reference_parser_reads_shorthand_rows()
    {
        string[] lines =
        [
            "## Configuration reference (section `Kevy`)",
            "| key | default | meaning |",
            "|---|---|---|",
            "| `Timings:HeartbeatMs`, `DownAfterMs` | 200, 5000 | as in `Groups:N:Ignored` |",
            "| `Kevy:Gateway:Tls:CertificatePath`, `KeyPath` / `Gateway:Enabled` | none | |",
            "",
            "| votes | silos | |",
            "| `File` | `Localhost` | a combination, not a key |",
            "## Admin API",
            "| `Elsewhere` | | |",
        ];
        Assert.Equal(["Timings:HeartbeatMs", "Timings:DownAfterMs", "Gateway:Tls:CertificatePath", "Gateway:Tls:KeyPath", "Gateway:Enabled"],
            DocumentedKeys(lines));
    }

    private static IEnumerable<string> ModelKeys() =>
        ConfigurationKeys.Of(typeof(KevyElectionOptions))
            .Concat(SiloConfigurationCheck.HostSections.SelectMany(s => ConfigurationKeys.Of(s.OptionsType).Select(k => $"{s.Name}:{k}")));

    /// <summary>The keys in the first column of the reference's tables; a name without a section is its row's previous key's sibling.</summary>
    private static List<string> DocumentedKeys(IEnumerable<string> lines)
    {
        var keys = new List<string>();
        var inReference = false;
        var inKeyTable = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inReference = line.StartsWith("## Configuration reference", StringComparison.Ordinal);
                continue;
            }
            // Only the tables whose first column is "key"; the section's other tables (combinations) name values.
            inKeyTable = line.StartsWith('|') && (inKeyTable || line.StartsWith("| key |", StringComparison.Ordinal));
            if (!inReference || !inKeyTable || !line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }
            var parent = "";
            foreach (Match m in Key().Matches(line.Split('|')[1]))
            {
                var key = m.Groups[1].Value;
                key = key.StartsWith("Kevy:", StringComparison.Ordinal) ? key["Kevy:".Length..] : key;
                key = key.Contains(':', StringComparison.Ordinal) || parent.Length == 0 ? key : $"{parent}:{key}";
                parent = key.Contains(':', StringComparison.Ordinal) ? key[..key.LastIndexOf(':')] : "";
                keys.Add(key);
            }
        }
        return keys;
    }

    private static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "silo", "README.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("silo/README.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([A-Za-z][A-Za-z0-9:]*)`")]
    private static partial Regex Key();
}
