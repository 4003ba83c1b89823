using System.Collections.ObjectModel;

namespace KevyOrleans.Testing;

/// <summary>
/// A collection that other threads may add to while a test reads it (an in-memory exporter's target:
/// spans end on whatever thread their work ran on). Read it through <see cref="Snapshot"/>.
/// </summary>
public sealed class LockedCollection<T> : Collection<T>
{
    private readonly Lock _gate = new();

    /// <summary>A copy of what was added so far.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    /// <inheritdoc />
    protected override void InsertItem(int index, T item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }

    /// <inheritdoc />
    protected override void ClearItems()
    {
        lock (_gate)
        {
            base.ClearItems();
        }
    }
}
