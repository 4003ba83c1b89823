using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using KevyOrleans.Grains;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>Sums every KevyOrleans counter of one silo by instrument name and tag value.</summary>
public sealed class GatewayCounters : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);
    private MeterListener? _listener;

    /// <summary>The total of <paramref name="instrument"/> whose tags include <paramref name="tagValue"/> (any tag), or overall.</summary>
    public long Get(string instrument, string? tagValue = null) => _sums.GetValueOrDefault($"{instrument}|{tagValue}");

    public void Listen(IMeterFactory factory)
    {
        _listener?.Dispose();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KevyMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _sums.AddOrUpdate($"{instrument.Name}|", value, (_, s) => s + value);
            foreach (var tag in tags)
            {
                _sums.AddOrUpdate($"{instrument.Name}|{tag.Value}", value, (_, s) => s + value);
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener?.Dispose();
}
