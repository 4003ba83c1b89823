using System.Globalization;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>p50, p99 and max of a set of samples in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(milliseconds.Count);
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.00} ms, p99 {P99:0.00} ms, max {Max:0.00} ms (n={Count})");

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
