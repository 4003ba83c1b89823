using System.Globalization;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>The command line: <c>[votes|flood|all] [--offers N] [--warmup N] [--store file|azure|both] [--seconds S] [--connections K] [--fsync-samples N]</c>.</summary>
internal sealed record BenchmarkArguments(string Mode, int Offers, int Warmup, string Store, double Seconds, int Connections, int FsyncSamples)
{
    public const string Usage =
        "usage: dotnet run -c Release --project tests/KevyOrleans.VoteLatencyBenchmark -- [votes|flood|all] [--offers 200] [--warmup 20] "
        + "[--store file|azure|both] [--seconds 5] [--connections 2] [--fsync-samples 200]";

    public bool Votes => Mode is "votes" or "all";

    public bool Flood => Mode is "flood" or "all";

    public bool File => Store is "file" or "both";

    public bool Azure => Store is "azure" or "both";

    // The options that take a positive whole number, and what each sets.
    private static readonly Dictionary<string, Func<BenchmarkArguments, int, BenchmarkArguments>> Counts = new(StringComparer.Ordinal)
    {
        ["--offers"] = (a, n) => a with { Offers = n },
        ["--warmup"] = (a, n) => a with { Warmup = n },
        ["--connections"] = (a, n) => a with { Connections = n },
        ["--fsync-samples"] = (a, n) => a with { FsyncSamples = n },
        ["--seconds"] = (a, n) => a with { Seconds = n },
    };

    /// <summary>The arguments, or null when they do not parse.</summary>
    public static BenchmarkArguments? Parse(string[] args)
    {
        var result = new BenchmarkArguments("all", 200, 20, "both", 5, 2, 200);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (args[i] is "votes" or "flood" or "all")
            {
                result = result with { Mode = args[i] };
                continue;
            }
            if (args[i] == "--store" && value is "file" or "azure" or "both")
            {
                result = result with { Store = value };
            }
            else if (Counts.TryGetValue(args[i], out var set) && Positive(value) is { } n)
            {
                result = set(result, n);
            }
            else
            {
                return null;
            }
            i++;
        }
        return result;
    }

    private static int? Positive(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
