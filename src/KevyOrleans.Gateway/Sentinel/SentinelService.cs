using System.Net;
using System.Net.Sockets;
using KevyOrleans.Grains;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// Opens the Sentinel endpoint once the silo is active (when <see cref="SentinelOptions.Port"/> is above 0)
/// and runs its refresher; closes both when the silo stops.
/// </summary>
internal sealed class SentinelService(
    IOptions<SentinelOptions> options,
    IGroupCatalog catalog,
    IGrainFactory grains,
    GroupSwitchover switchover,
    SentinelMetrics metrics,
    ILocalSiloDetails silo,
    ILoggerFactory loggers) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ILogger _logger = loggers.CreateLogger("KevyOrleans.Sentinel");
    private readonly CancellationTokenSource _stopping = new();
    private SentinelListener? _listener;
    private Task? _refreshing;

    /// <summary>The endpoint's state once it started; null while it is off.</summary>
    public SentinelState? State { get; private set; }

    /// <summary>The bound endpoint once started.</summary>
    public IPEndPoint? Endpoint => _listener?.Endpoint;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(SentinelService), ServiceLifecycleStage.Active, StartAsync, StopAsync);
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return Task.CompletedTask;
        }
        var failoverTimeout = TimeSpan.FromMilliseconds(o.FailoverTimeoutMs);
        var downAfter = catalog.Groups.Select(g => g.Timings.DownAfter.TotalMilliseconds).DefaultIfEmpty(5000).Max();
        var state = new SentinelState(o, $"{silo.SiloAddress.ToParsableString()}/{o.Port}",
            (group, ct) => switchover.RunAsync(group, null, failoverTimeout, ct), metrics)
        {
            DownAfterMs = (int)downAfter,
        };
        var bind = IPAddress.Parse(o.BindAddress);
        _listener = new SentinelListener(state, new IPEndPoint(bind, o.Port), _logger);
        _listener.Start();
        State = state;
        var self = new SentinelAnnouncement(state.MyId, AnnouncedAddress(o, bind), _listener.Endpoint.Port, Math.Max(3000, 10 * o.RefreshMs));
        var refresher = new SentinelRefresher(state, catalog, grains, self, _logger);
        _refreshing = Task.Run(() => refresher.RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_refreshing is not null)
        {
            await _refreshing.ConfigureAwait(false);
        }
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
            SentinelLog.Stopped(_logger);
        }
    }

    /// <summary><see cref="SentinelOptions.AnnounceAddress"/>, else the bind address, else (bound to every interface) this host's first IPv4 address.</summary>
    private static string AnnouncedAddress(SentinelOptions o, IPAddress bind)
    {
        if (!string.IsNullOrEmpty(o.AnnounceAddress))
        {
            return o.AnnounceAddress;
        }
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return bind.ToString();
        }
        return (Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback).ToString();
    }
}
