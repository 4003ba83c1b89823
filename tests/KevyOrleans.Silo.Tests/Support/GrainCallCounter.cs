using System.Collections.Concurrent;

namespace KevyOrleans.Silo.Tests.Support;

/// <summary>Counts every grain call the silo receives, by interface and method (<c>IGroupGrain.GetOverview</c>).</summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.InterfaceMethod;
        _calls.AddOrUpdate($"{method?.DeclaringType?.Name}.{method?.Name}", 1, (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>The counts so far; subtract two of them for what happened in between.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_calls, StringComparer.Ordinal);

    /// <summary>Calls of <paramref name="key"/> between two snapshots.</summary>
    public static long Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, string key) =>
        after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
}
