using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Gateway.Tests.Outbound.Support;

/// <summary>
/// A <see cref="GatewayMetrics"/> on its own meter factory, and a listener that sees only that factory's
/// instruments: tests running in parallel never count each other's measurements.
/// </summary>
internal sealed class MetricsProbe : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MetricsProbe()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new GatewayMetrics(factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            foreach (var tag in tags)
            {
                _totals.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, v) => v + value);
            }
        });
        _listener.Start();
    }

    public GatewayMetrics Metrics { get; }

    /// <summary>The sum of an instrument's measurements, optionally only those with one tag value (e.g. "HB", "out").</summary>
    public long Get(string instrument, string? tagValue = null) =>
        _totals.GetValueOrDefault(tagValue is null ? instrument : $"{instrument}/{tagValue}");

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
