namespace KevyOrleans.Gateway.Tests.Outbound.Support;

internal static class TestWait
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms; fails the test with <paramref name="what"/> after <paramref name="patience"/>.</summary>
    public static async Task Until(Func<bool> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
