using System.Net;
using KevyOrleans.Abstractions;
using KevyOrleans.Gateway.Inbound;
using KevyOrleans.Gateway.Outbound;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Gateway;

/// <summary>
/// Opens an elect listener for every hosted member (or those <see cref="GatewayOptions.Members"/> names) once the silo is active (so frames never arrive
/// before grains can take them). When the silo stops it closes them and drains the outbound queues
/// for up to one hb_interval.
/// </summary>
internal sealed class GatewayService(
    IGroupCatalog catalog,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    GatewayMetrics metrics,
    OutboundLinks outbound,
    GatewayTls tls,
    ILoggerFactory loggers) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly List<ElectListener> _listeners = [];
    private SourceAddresses? _sources;

    public IReadOnlyList<ElectListener> Listeners => _listeners;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(GatewayService), ServiceLifecycleStage.Active, StartAsync, StopAsync);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }
        var logger = loggers.CreateLogger("KevyOrleans.Gateway");
        try
        {
            tls.Load();
            // Every external member's host, resolved now and on a schedule, for the source-address check.
            var hosts = catalog.Groups.SelectMany(g => g.Election.Members.Where(m => !g.IsHosted(m.Id)).Select(m => m.Host));
            _sources = new SourceAddresses(hosts, TimeSpan.FromMilliseconds(o.SourceAddressRefreshMs), logger);
            if (o.RequireSourceAddress)
            {
                await _sources.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            var chosen = o.MemberKeys().ToHashSet(StringComparer.Ordinal);
            foreach (var key in chosen.Where(k => !catalog.Groups.Any(g => g.Hosted.Any(m => MemberKey.Format(g.Name, m) == k))))
            {
                throw new InvalidOperationException($"{GatewayOptions.SectionName}:Members names '{key}', which is not a hosted member of a configured group");
            }
            foreach (var group in catalog.Groups)
            {
                foreach (var member in group.Hosted.Where(m => chosen.Count == 0 || chosen.Contains(MemberKey.Format(group.Name, m))))
                {
                    var m = group.Member(member);
                    var endpoint = new IPEndPoint(await ResolveAsync(o.BindAddress, m.Host, cancellationToken).ConfigureAwait(false), m.ElectPort);
                    var listener = new ElectListener(group, member, endpoint, grains, o, _sources, tls, metrics, logger);
                    listener.Start();
                    _listeners.Add(listener);
                }
            }
        }
        catch
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        _listeners.Clear();
        if (_sources is not null)
        {
            await _sources.DisposeAsync().ConfigureAwait(false);
            _sources = null;
        }
        var drain = catalog.Groups.Select(g => g.Timings.HeartbeatInterval).DefaultIfEmpty(TimeSpan.FromMilliseconds(200)).Max();
        await outbound.StopAsync(drain).ConfigureAwait(false);
    }

    /// <summary>The configured bind address, else the member's host (an IP, or a name resolved once at start).</summary>
    private static async Task<IPAddress> ResolveAsync(string? bindAddress, string host, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(bindAddress))
        {
            return IPAddress.Parse(bindAddress);
        }
        var bare = Endpoints.Bare(host);
        if (IPAddress.TryParse(bare, out var address))
        {
            return address;
        }
        var found = await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault() ?? throw new InvalidOperationException($"host '{host}' resolves to no address");
    }
}
