using System.Globalization;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>Which systems to measure, at which down_after values, how many trials each.</summary>
internal sealed record BenchmarkOptions(int Trials, IReadOnlyList<int> DownAfterMs, string? Only, int HeartbeatMs)
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/KevyOrleans.FailoverBenchmark -- [options]
          --trials N             trials per row (default 20)
          --down-after A,B       down_after values in ms (default 5000,1000)
          --only kevy|sentinel   measure one system only (default both)
          --heartbeat MS         kevy-silo HeartbeatMs (default 100; DownAfterMs must be at least 4 x it)
        """;

    public bool Runs(string system) => Only is null || Only == system;

    /// <summary>The options, or null with <paramref name="error"/> set (null error and null options: --help).</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var trials = 20;
        IReadOnlyList<int> downAfter = [5000, 1000];
        string? only = null;
        var heartbeat = 100;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return null;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }
            var value = args[++i];
            switch (name)
            {
                case "--trials" when PositiveInt(value) is { } n:
                    trials = n;
                    break;
                case "--down-after" when value.Split(',').Select(PositiveInt).ToList() is { } list && list.All(v => v is not null):
                    downAfter = [.. list.Select(v => v!.Value)];
                    break;
                case "--only" when value is "kevy" or "sentinel":
                    only = value;
                    break;
                case "--heartbeat" when PositiveInt(value) is { } hb:
                    heartbeat = hb;
                    break;
                default:
                    error = $"bad option or value: {name} {value}";
                    return null;
            }
        }
        if (downAfter.FirstOrDefault(d => d < 4 * heartbeat) is var tooShort && tooShort > 0)
        {
            error = $"--down-after {tooShort} is below 4 x --heartbeat ({4 * heartbeat} ms), which kevy-silo refuses";
            return null;
        }
        return new BenchmarkOptions(trials, downAfter, only, heartbeat);
    }

    private static int? PositiveInt(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
