using System.Diagnostics;

namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>Tokens that bound one call, and a way to wait for what replication brings about.</summary>
internal static class Deadline
{
    /// <summary>A generous bound for calls that should succeed: failures surface as failures, not hangs.</summary>
    public static CancellationToken Call() => new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;

    public static CancellationToken After(TimeSpan span) => new CancellationTokenSource(span).Token;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(10);
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                Assert.Fail($"not within {limit.TotalSeconds} s: {what}");
            }
            await Task.Delay(50);
        }
    }
}
