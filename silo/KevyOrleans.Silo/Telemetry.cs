using KevyOrleans.Grains;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace KevyOrleans.Silo;

/// <summary>
/// OpenTelemetry for the silo: the meter <c>KevyOrleans</c> (scraped at <c>/metrics</c> by the
/// Prometheus exporter, always) and the activity source <c>KevyOrleans</c> (<see cref="KevyTracing"/>).
/// Both also go out over OTLP when one of the standard variables names a collector
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or its <c>_TRACES_</c> / <c>_METRICS_</c> forms); the exporter
/// reads the rest of the standard <c>OTEL_*</c> settings itself (protocol, headers, service name).
/// </summary>
internal static class Telemetry
{
    /// <summary>The variables that switch OTLP export on; any one of them set.</summary>
    internal static readonly string[] OtlpEndpoints =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public static WebApplicationBuilder AddKevyTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(KevyMetrics.MeterName).AddPrometheusExporter())
            .WithTracing(t => t.AddSource(KevyTracing.SourceName));
        if (OtlpEndpoints.Any(name => !string.IsNullOrWhiteSpace(builder.Configuration[name])))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }
}
