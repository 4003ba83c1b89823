using System.Globalization;
using System.Text;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>The trials of one system at one down_after and mode.</summary>
internal sealed class ResultRow(string system, int downAfterMs, string mode)
{
    public string System => system;

    public int DownAfterMs => downAfterMs;

    public string Mode => mode;

    public List<TrialResult> Trials { get; } = [];

    /// <summary>Why the row stopped before its last trial, if it did.</summary>
    public string? Stopped { get; set; }
}

/// <summary>The summary table: kill-to-writable percentiles (nearest rank) and lost acknowledged writes per row.</summary>
internal static class ResultTable
{
    private static readonly string[] Header =
        ["system", "down_after", "mode", "trials", "median ms", "p95 ms", "max ms", "median - down_after", "acked writes", "lost acked", "no successor"];

    public static string Format(IReadOnlyList<ResultRow> rows)
    {
        var table = new List<string[]> { Header };
        foreach (var row in rows)
        {
            var times = row.Trials.Where(t => t.KillToWritableMs is not null).Select(t => t.KillToWritableMs!.Value).Order().ToList();
            var median = times.Count == 0 ? (double?)null : Percentile(times, 0.5);
            table.Add(
            [
                row.System, Ms(row.DownAfterMs), row.Mode, Count(row.Trials.Count),
                Ms(median), Ms(times.Count == 0 ? null : Percentile(times, 0.95)), Ms(times.Count == 0 ? null : times[^1]),
                Ms(median - row.DownAfterMs), Count(row.Trials.Sum(t => t.Acknowledged)), Count(row.Trials.Sum(t => t.Lost)),
                Count(row.Trials.Count(t => t.KillToWritableMs is null)),
            ]);
        }
        var widths = Enumerable.Range(0, Header.Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (cells, index) in table.Select((r, i) => (r, i)))
        {
            text.AppendLine("| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |");
            if (index == 0)
            {
                text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }
        foreach (var row in rows.Where(r => r.Stopped is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{row.System} / {row.DownAfterMs} / {row.Mode} stopped early: {row.Stopped}");
        }
        return text.ToString();
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    private static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
