using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using KevyOrleans.Grains;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting.Hooks;

/// <summary>
/// The webhook: members publish <see cref="KevyEvent"/>s into a bounded queue (never waiting, a full queue
/// drops the new event and counts it), and one sender POSTs each as JSON to <see cref="HooksOptions.Url"/>,
/// retrying with doubling delays up to <see cref="HooksOptions.MaxAttempts"/>. Events go in the order
/// they were published; a slow or dead hook holds up only the hook.
/// </summary>
public sealed class HookDispatcher : IKevyEventSink, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly HooksOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<KevyEvent> _queue;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _retries;
    private Task? _sending;

    /// <summary>A dispatcher for <paramref name="options"/>; it sends nothing until the silo is active.</summary>
    public HookDispatcher(IOptions<HooksOptions> options, IMeterFactory meters, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _logger = loggers.CreateLogger("KevyOrleans.Hooks");
        _queue = Channel.CreateBounded<KevyEvent>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity)) { SingleReader = true });
        _http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(Math.Max(1, _options.TimeoutMs)) };
        var meter = meters.Create(KevyMetrics.MeterName);
        _delivered = meter.CreateCounter<long>("kevy.hooks.delivered", description: "Events the webhook accepted (2xx), by kind");
        _failed = meter.CreateCounter<long>("kevy.hooks.failed", description: "Events given up after every attempt failed, by kind");
        _dropped = meter.CreateCounter<long>("kevy.hooks.dropped", description: "Events dropped because the hook's queue was full, by kind");
        _retries = meter.CreateCounter<long>("kevy.hooks.retries", description: "Repeated POSTs of an event");
    }

    /// <inheritdoc/>
    public void Publish(KevyEvent? e)
    {
        if (e is null || !_options.Enabled)
        {
            return;
        }
        if (!_queue.Writer.TryWrite(e))
        {
            _dropped.Add(1, new KeyValuePair<string, object?>("kind", e.Kind));
        }
    }

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(HookDispatcher), ServiceLifecycleStage.Active, Start, StopAsync);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Dispose();
        _http.Dispose();
    }

    private Task Start(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            HookLog.Sending(_logger, _options.Url!);
            _sending = Task.Run(() => SendAllAsync(_stopping.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sending is not null)
        {
            await _sending.ConfigureAwait(false);
        }
    }

    private async Task SendAllAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await SendAsync(e, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopping: what is left in the queue is not sent
        }
    }

    private async Task SendAsync(KevyEvent e, CancellationToken stopping)
    {
        var url = new Uri(_options.Url!);
        var delay = TimeSpan.FromMilliseconds(_options.RetryBaseMs);
        string? problem = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                _retries.Add(1);
                await Task.Delay(delay, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
            try
            {
                using var response = await _http.PostAsJsonAsync(url, e, HookJson.Default.KevyEvent, stopping).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    _delivered.Add(1, new KeyValuePair<string, object?>("kind", e.Kind));
                    return;
                }
                problem = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                problem = ex.Message;
            }
        }
        _failed.Add(1, new KeyValuePair<string, object?>("kind", e.Kind));
        HookLog.GaveUp(_logger, e.Kind, e.Group, _options.MaxAttempts, problem ?? "no answer");
    }
}

/// <summary>The hook's JSON: camelCase, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KevyEvent))]
internal sealed partial class HookJson : JsonSerializerContext;

internal static partial class HookLog
{
    [LoggerMessage(3750, LogLevel.Information, "hooks: events are POSTed to {Url}")]
    public static partial void Sending(ILogger logger, string url);

    [LoggerMessage(3751, LogLevel.Warning, "hooks: gave up the {Kind} event of group {Group} after {Attempts} attempts: {Problem}")]
    public static partial void GaveUp(ILogger logger, string kind, string group, int attempts, string problem);
}
