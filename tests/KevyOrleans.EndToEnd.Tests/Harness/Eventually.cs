namespace KevyOrleans.EndToEnd.Tests.Harness;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; false when <paramref name="within"/> ran out.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        return await condition().ConfigureAwait(false);
    }
}
