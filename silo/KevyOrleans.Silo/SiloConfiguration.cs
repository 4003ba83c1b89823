using System.Text.Json;

namespace KevyOrleans.Silo;

/// <summary>
/// Where the silo's configuration comes from, lowest precedence first: the embedded defaults (one
/// silo, localhost clustering, file storage under ./data), <c>appsettings.json</c> beside the
/// process, the fleet file named by <c>--config</c>, environment variables (<c>Kevy__...</c>), and
/// the remaining command-line arguments (<c>--Kevy:Admin:Url=...</c>).
/// </summary>
public static class SiloConfiguration
{
    public sealed record Arguments(string? ConfigFile, string[] Rest);

    /// <summary>Splits <c>--config &lt;file&gt;</c> (or <c>--config=&lt;file&gt;</c>) from the rest.</summary>
    public static Arguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? file = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--config")
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ConfigurationProblem("--config needs a file: --config <file.json>");
                }
                file = args[++i];
            }
            else if (a.StartsWith("--config=", StringComparison.Ordinal))
            {
                file = a["--config=".Length..];
            }
            else
            {
                rest.Add(a);
            }
        }
        return new Arguments(file, [.. rest]);
    }

    /// <summary>Replaces <paramref name="configuration"/>'s sources with the silo's, in precedence order.</summary>
    public static void Apply(ConfigurationManager configuration, Arguments arguments, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(arguments);
        var sources = (IConfigurationBuilder)configuration;
        sources.Sources.Clear();
        sources.AddJsonStream(EmbeddedDefaults());
        sources.AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: true, reloadOnChange: false);
        if (arguments.ConfigFile is { } file)
        {
            var full = Path.GetFullPath(file);
            if (!File.Exists(full))
            {
                throw new ConfigurationProblem($"--config {file}: no such file ({full})");
            }
            CheckJson(full);
            sources.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        sources.AddEnvironmentVariables();
        sources.AddCommandLine(arguments.Rest);
    }

    private static Stream EmbeddedDefaults() =>
        typeof(SiloConfiguration).Assembly.GetManifestResourceStream("appsettings.defaults.json")
        ?? throw new InvalidOperationException("the embedded appsettings.defaults.json is missing from the build");

    /// <summary>A malformed fleet file is named with the line and position of the fault, not a stack trace.</summary>
    private static void CheckJson(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationProblem($"--config {path}: the file must hold one JSON object, not {doc.RootElement.ValueKind}");
            }
        }
        catch (JsonException e)
        {
            throw new ConfigurationProblem($"--config {path}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}");
        }
    }
}

/// <summary>A configuration error found before the silo starts; its message names the key or file and the bad value.</summary>
public sealed class ConfigurationProblem : Exception
{
    public ConfigurationProblem(string message) : base(message)
    {
    }

    public ConfigurationProblem()
    {
    }

    public ConfigurationProblem(string message, Exception innerException) : base(message, innerException)
    {
    }
}
