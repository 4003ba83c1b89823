using System.Collections.Concurrent;
using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;

namespace KevyOrleans.Testing;

/// <summary>Every frame delivered to a member grain in the test process, observed by a grain-call filter.</summary>
public static class FrameJournal
{
    public static ConcurrentQueue<(string To, ElectionMessage Message, DateTime At)> Delivered { get; } = new();

    public static IEnumerable<(string To, ElectionMessage Message, DateTime At)> ForGroup(string group) =>
        Delivered.Where(d => d.To.StartsWith(group + "/", StringComparison.Ordinal));
}

public sealed class FrameJournalFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Request.GetInterfaceType() == typeof(IMemberGrain) && context.MethodName == nameof(IMemberGrain.Deliver)
            && context.Request.GetArgument(0) is ElectionMessage message)
        {
            FrameJournal.Delivered.Enqueue((context.TargetId.Key.ToString()!, message, DateTime.UtcNow));
        }
        return context.Invoke();
    }
}
