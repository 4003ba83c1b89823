using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using KevyOrleans.Grains;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using OpenTelemetry.Trace;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The silo's OpenTelemetry: its tracer provider records the <c>KevyOrleans</c> spans of a real
/// election and switchover (seen with the in-memory exporter), and the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> settings send traces and metrics to an OTLP collector (played by an
/// HTTP listener on loopback that keeps what it is sent).
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task The_silo_traces_its_elections_writes_and_a_switchover()
    {
        var spans = new LockedCollection<Activity>();
        await using var silo = new AdminSilo("traced", configure: s => s.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var (primary, target) = await silo.StartWithPrimaryAsync();

        Assert.Equal((HttpStatusCode.OK, null), await silo.SwitchoverAsync(target));

        List<Activity> Of(string name) => [.. spans.Snapshot().Where(a => a.OperationName == name && (string?)a.GetTagItem("kevy.group") == "traced")];
        var switchover = Assert.Single(Of("kevy.switchover"));
        Assert.Equal("Completed", switchover.GetTagItem("kevy.outcome"));
        Assert.Equal(primary, switchover.GetTagItem("kevy.primary.previous"));
        Assert.Equal(target, switchover.GetTagItem("kevy.primary"));
        var epoch = Assert.IsType<long>(switchover.GetTagItem("kevy.epoch"));
        var won = Of("kevy.election").Where(e => (string?)e.GetTagItem("kevy.outcome") == "won").ToList();
        Assert.Contains(won, e => (string?)e.GetTagItem("kevy.member") == primary);
        Assert.Contains(won, e => (string?)e.GetTagItem("kevy.member") == target && (long?)e.GetTagItem("kevy.epoch") == epoch);
        Assert.All(won, e => Assert.Equal("n1,n2,w3", e.GetTagItem("kevy.members")));
        Assert.Contains(Of("kevy.storage.write"), w => (long?)w.GetTagItem("kevy.epoch") == epoch);
    }

    [Fact]
    public async Task With_the_standard_OTLP_settings_traces_and_metrics_reach_the_collector()
    {
        using var collector = new OtlpCollector();
        var silo = new AdminSilo("otlp", moreArgs:
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Endpoint}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_SERVICE_NAME=kevy-silo-test",
        ]);
        await using (silo)
        {
            await silo.StartWithPrimaryAsync();
        } // stopping flushes both providers

        Assert.Contains("/v1/traces", collector.Paths);
        Assert.Contains("/v1/metrics", collector.Paths);
    }

    /// <summary>An OTLP/HTTP collector stand-in: answers 200 to every POST and keeps the paths.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtlpCollector()
        {
            Endpoint = $"http://127.0.0.1:{FreePort.Get()}";
            _listener.Prefixes.Add($"{Endpoint}/");
            _listener.Start();
            _serving = ServeAsync();
        }

        public string Endpoint { get; }

        public ConcurrentBag<string> Paths { get; } = [];

        public void Dispose()
        {
            _listener.Close();
            try
            {
                _serving.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // closed
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Paths.Add(context.Request.Url!.AbsolutePath);
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
