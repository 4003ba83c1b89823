using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KevyOrleans.Testing;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// The real kevy-silo process hosting <see cref="BenchmarkGroup.Witness"/>: its fleet file written to
/// <see cref="Directory"/>, Localhost clustering and admin API on free loopback ports, stopped by its
/// own pid (SIGTERM, SIGKILL after a grace) on dispose.
/// </summary>
internal sealed class BenchmarkSilo : IAsyncDisposable
{
    /// <summary>Silo log timestamps with microseconds, so a vote's log line can split the latency.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http;

    private BenchmarkSilo(SiloProcess process, Uri admin)
    {
        Process = process;
        _http = new HttpClient { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(60) };
    }

    public SiloProcess Process { get; }

    /// <summary>Writes the fleet file (with <paramref name="storage"/> as <c>Kevy:Storage</c> and <paramref name="gateway"/> as <c>Kevy:Gateway</c>), starts the silo and waits until it serves.</summary>
    public static async Task<BenchmarkSilo> StartAsync(string directory, BenchmarkGroup group, JsonObject storage, JsonObject gateway)
    {
        var adminPort = FreePort.Get();
        var config = new JsonObject
        {
            ["Kevy"] = new JsonObject
            {
                ["Storage"] = storage,
                ["Clustering"] = new JsonObject
                {
                    ["Provider"] = "Localhost",
                    ["SiloPort"] = FreePort.Get(),
                    ["GatewayPort"] = FreePort.Get(),
                    ["ClusterId"] = $"vote-latency-{Guid.NewGuid():N}",
                },
                ["Admin"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{adminPort}" },
                ["Gateway"] = gateway,
                ["Groups"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["Name"] = BenchmarkGroup.Name,
                        ["Peers"] = group.Peers,
                        ["Hosted"] = BenchmarkGroup.Witness,
                        ["Witnesses"] = BenchmarkGroup.Witness,
                    },
                },
            },
        };
        var file = Path.Combine(directory, "fleet.json");
        await File.WriteAllTextAsync(file, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        var process = SiloProcess.Start(directory, "--config", file, $"--Logging:Console:FormatterOptions:TimestampFormat={TimestampFormat}");
        var silo = new BenchmarkSilo(process, new Uri($"http://127.0.0.1:{adminPort}"));
        try
        {
            await process.WaitUntilHealthyAsync(silo._http, StartBound).ConfigureAwait(false);
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return silo;
    }

    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> (Prometheus text of <c>/metrics</c>) whose
    /// labels contain <paramref name="label"/> (all samples when null).
    /// </summary>
    public async Task<double> MetricAsync(string metric, string? label = null)
    {
        var text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false);
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            var name = line.Split('{', ' ')[0];
            if (name != metric || (label is not null && !line.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            sum += double.Parse(value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    /// <summary>
    /// Asks the admin API for the group, which asks the witness grain: the call waits behind every frame
    /// already queued for the grain, so its return shows the grain has taken them all.
    /// </summary>
    public async Task GetGroupAsync()
    {
        using var response = await _http.GetAsync(new Uri($"/groups/{BenchmarkGroup.Name}", UriKind.Relative)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
