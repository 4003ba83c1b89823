using KevyOrleans.Gateway.Inbound;
using Microsoft.Extensions.Time.Testing;

namespace KevyOrleans.Gateway.Tests.Trust;

public sealed class FrameRateLimiterTests
{
    [Fact]
    public void A_burst_then_the_rate_and_never_more_than_the_burst_saved_up()
    {
        var time = new FakeTimeProvider();
        var bucket = new FrameRateLimiter(perSecond: 10, burst: 5, time);
        Assert.Equal(5, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));
    }
}
