namespace KevyOrleans.Gateway.Inbound;

/// <summary>
/// A token bucket for one inbound connection: up to <c>burst</c> frames back to back, then
/// <c>perSecond</c> a second. Not thread-safe (one connection reads on one loop).
/// </summary>
internal sealed class FrameRateLimiter
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public FrameRateLimiter(int perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a token; false when the bucket is empty (the frame is to be dropped, not queued).</summary>
    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }
        _tokens -= 1;
        return true;
    }
}
