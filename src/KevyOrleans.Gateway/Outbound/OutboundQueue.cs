using KevyOrleans.Protocol;

namespace KevyOrleans.Gateway.Outbound;

/// <summary>
/// The bounded queue of frames waiting for one outbound link. Pure: no I/O, thread-safe, synchronous,
/// except <see cref="WaitAsync"/> which lets the writer sleep until a frame arrives.
/// </summary>
/// <remarks>
/// <para>When full, a new frame first evicts the oldest heartbeat (a newer HB supersedes it). Only when
/// the queue holds no heartbeat at all: a new heartbeat is itself dropped, and a new OFFER, ACCEPT or
/// ANNOUNCE evicts the oldest of those. So an OFFER, ACCEPT or ANNOUNCE is dropped only when the queue
/// holds nothing else.</para>
/// <para>Structure: heartbeats and the other verbs live in two linked lists, each entry stamped with a
/// sequence number; the head of the queue is whichever list head carries the smaller number. That makes
/// every operation O(1), eviction of the oldest heartbeat included, without scanning up to
/// <see cref="Capacity"/> entries. <see cref="RequeueFront"/> stamps with a second counter that runs
/// downwards, so put-back frames sort before everything queued.</para>
/// </remarks>
public sealed class OutboundQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _heartbeats = new();
    private readonly LinkedList<Entry> _others = new();
    private readonly Action<Verb>? _dropped;
    private readonly Action<int>? _depthChanged;
    private long _nextBack;
    private long _nextFront = -1;
    private TaskCompletionSource? _waiter;
    private bool _released;

    /// <param name="capacity">Most frames held at once.</param>
    /// <param name="dropped">Called, outside the lock, with the verb of every frame the queue drops.</param>
    /// <param name="depthChanged">Called, outside the lock, with every change of <see cref="Count"/> (+n / -n).</param>
    public OutboundQueue(int capacity, Action<Verb>? dropped = null, Action<int>? depthChanged = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _dropped = dropped;
        _depthChanged = depthChanged;
    }

    /// <summary>Most frames held at once.</summary>
    public int Capacity { get; }

    /// <summary>Frames waiting to be written now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _heartbeats.Count + _others.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="message"/> at the back, applying the overflow policy; never blocks.</summary>
    /// <returns>False when <paramref name="message"/> itself was dropped.</returns>
    public bool Enqueue(in ElectionMessage message)
    {
        Verb? evicted;
        bool accepted;
        TaskCompletionSource? wake;
        lock (_gate)
        {
            (accepted, evicted) = Add(message, _nextBack++, atFront: false);
            wake = TakeWaiter();
        }
        Report(message.Verb, accepted, evicted);
        wake?.TrySetResult();
        return accepted;
    }

    /// <summary>
    /// Puts frames that were taken but not delivered back at the front, in their original order. They are
    /// older than anything queued, so when the queue is full they are the first the overflow policy drops.
    /// </summary>
    public void RequeueFront(IReadOnlyList<ElectionMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Last first, each one in front of the previous: the original order survives.
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            Verb? evicted;
            bool accepted;
            TaskCompletionSource? wake;
            lock (_gate)
            {
                (accepted, evicted) = Add(messages[i], _nextFront--, atFront: true);
                wake = TakeWaiter();
            }
            Report(messages[i].Verb, accepted, evicted);
            wake?.TrySetResult();
        }
    }

    /// <summary>Takes the oldest frame, if any.</summary>
    public bool TryDequeue(out ElectionMessage message)
    {
        lock (_gate)
        {
            if (!TryTake(out message))
            {
                return false;
            }
        }
        _depthChanged?.Invoke(-1);
        return true;
    }

    /// <summary>Moves up to <paramref name="max"/> frames, oldest first, into <paramref name="into"/>.</summary>
    /// <returns>How many were moved.</returns>
    public int DequeueBatch(List<ElectionMessage> into, int max)
    {
        ArgumentNullException.ThrowIfNull(into);
        var taken = 0;
        lock (_gate)
        {
            while (taken < max && TryTake(out var message))
            {
                into.Add(message);
                taken++;
            }
        }
        if (taken > 0)
        {
            _depthChanged?.Invoke(-taken);
        }
        return taken;
    }

    /// <summary>Completes when the queue holds a frame (at once if it already does) or after <see cref="ReleaseWaiters"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            if (_released || _heartbeats.Count + _others.Count > 0)
            {
                return Task.CompletedTask;
            }
            // Continuations run asynchronously so that an enqueuer never runs the writer's loop on its own thread.
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiter.Task;
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Releases a pending <see cref="WaitAsync"/> and makes every later one complete at once (used on shutdown).
    /// Sticky, so a writer that checked its stop flag just before this call cannot go to sleep after it.
    /// </summary>
    public void ReleaseWaiters()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _released = true;
            wake = TakeWaiter();
        }
        wake?.TrySetResult();
    }

    private (bool Accepted, Verb? Evicted) Add(in ElectionMessage message, long sequence, bool atFront)
    {
        var isHeartbeat = message.Verb == Verb.Heartbeat;
        Verb? evicted = null;
        if (_heartbeats.Count + _others.Count >= Capacity)
        {
            if (_heartbeats.Count > 0)
            {
                // A put-back heartbeat is older than every queued one: it is the one to go.
                if (isHeartbeat && atFront)
                {
                    return (false, null);
                }
                _heartbeats.RemoveFirst();
                evicted = Verb.Heartbeat;
            }
            else if (isHeartbeat || atFront)
            {
                // Nothing but OFFER/ACCEPT/ANNOUNCE is queued: they outrank a heartbeat, and a put-back frame is the oldest.
                return (false, null);
            }
            else
            {
                evicted = _others.First!.Value.Message.Verb;
                _others.RemoveFirst();
            }
        }
        var list = isHeartbeat ? _heartbeats : _others;
        var entry = new Entry(sequence, message);
        if (atFront)
        {
            list.AddFirst(entry);
        }
        else
        {
            list.AddLast(entry);
        }
        return (true, evicted);
    }

    private bool TryTake(out ElectionMessage message)
    {
        var hb = _heartbeats.First;
        var other = _others.First;
        LinkedList<Entry>? from = (hb, other) switch
        {
            (null, null) => null,
            (null, _) => _others,
            (_, null) => _heartbeats,
            _ => hb.Value.Sequence < other.Value.Sequence ? _heartbeats : _others,
        };
        if (from is null)
        {
            message = default;
            return false;
        }
        message = from.First!.Value.Message;
        from.RemoveFirst();
        return true;
    }

    private TaskCompletionSource? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }

    private void Report(Verb verb, bool accepted, Verb? evicted)
    {
        if (evicted is { } e)
        {
            _dropped?.Invoke(e);
        }
        if (!accepted)
        {
            _dropped?.Invoke(verb);
        }
        else if (evicted is null)
        {
            _depthChanged?.Invoke(1);
        }
    }

    private readonly record struct Entry(long Sequence, ElectionMessage Message);
}
