using System.Collections.Concurrent;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>A connection that takes Sentinel events (one in subscriber mode).</summary>
internal interface ISentinelSubscriber
{
    /// <summary>Queues <paramref name="e"/> when a channel or pattern of the subscriber matches it; never blocks.</summary>
    void Offer(SentinelEvent e);
}

/// <summary>
/// This silo's subscribers and the events published to them. Publishing never waits on a subscriber:
/// each queues what it takes and a slow one is closed by its connection (<see cref="SentinelOptions.MaxPendingReplies"/>).
/// </summary>
internal sealed class SentinelHub(int maxSubscribers)
{
    private readonly ConcurrentDictionary<ISentinelSubscriber, byte> _subscribers = new();
    private int _count;

    /// <summary>Connections in subscriber mode now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a subscriber; false when <c>maxSubscribers</c> are already subscribed.</summary>
    public bool TryAdd(ISentinelSubscriber subscriber)
    {
        if (Interlocked.Increment(ref _count) > maxSubscribers)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        if (!_subscribers.TryAdd(subscriber, 0))
        {
            Interlocked.Decrement(ref _count);
        }
        return true;
    }

    /// <summary>Removes a subscriber (when it unsubscribed from everything or closed).</summary>
    public void Remove(ISentinelSubscriber subscriber)
    {
        if (_subscribers.TryRemove(subscriber, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Offers <paramref name="e"/> to every subscriber.</summary>
    public void Publish(SentinelEvent e)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Offer(e);
        }
    }
}
