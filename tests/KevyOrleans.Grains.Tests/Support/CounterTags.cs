using System.Collections;
using System.Diagnostics.Metrics;

namespace KevyOrleans.Grains.Tests.Support;

/// <summary>
/// The values of two tags of every measurement of one counter, seen only on one meter factory (tests
/// running in parallel never see each other's). Enumerates a snapshot; safe to read while it records.
/// </summary>
internal sealed class CounterTags : IReadOnlyCollection<(string First, string Second)>, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string, string)> _recorded = [];

    public CounterTags(IMeterFactory factory, string instrument, string first, string second)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Scope == factory && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            string Tag(string name) => (string)all.Single(t => t.Key == name).Value!;
            lock (_recorded)
            {
                _recorded.Add((Tag(first), Tag(second)));
            }
        });
        _listener.Start();
    }

    public int Count
    {
        get
        {
            lock (_recorded)
            {
                return _recorded.Count;
            }
        }
    }

    /// <summary>Forgets what was recorded so far.</summary>
    public void Clear()
    {
        lock (_recorded)
        {
            _recorded.Clear();
        }
    }

    public IEnumerator<(string First, string Second)> GetEnumerator()
    {
        lock (_recorded)
        {
            return _recorded.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _listener.Dispose();
}
