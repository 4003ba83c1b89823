namespace KevyOrleans.Silo.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms; fails with <paramref name="what"/> after <paramref name="patience"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition().ConfigureAwait(false))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {patience.TotalSeconds:0} s: {what}");
            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
