using System.Collections.Concurrent;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Gateway.Outbound;

/// <summary>
/// The silo's outbound links, one per (group, hosted sender, external receiver), created on first use.
/// A link nobody queued on for 3 x the group's down_after is closed and forgotten: its hosted member has
/// moved to another silo (or stopped talking to that peer), and a fresh link is made if it comes back.
/// </summary>
public sealed class OutboundLinks : IExternalMemberTransport, IAsyncDisposable
{
    // Idle links are retired after this many down_after periods without a frame.
    private const int IdleDownAfters = 3;

    private readonly ConcurrentDictionary<OutboundLinkKey, OutboundLink> _links = new();
    private readonly ConcurrentDictionary<OutboundLink, Task> _retiring = new();
    // Receivers already reported as unknown: a grain sends every hb_interval, the log says it once.
    private readonly ConcurrentDictionary<OutboundLinkKey, bool> _unknown = new();
    private readonly Lock _gate = new();
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly GatewayTls? _tls;
    private readonly ITimer _sweep;
    private TimeSpan _sweepPeriod = Timeout.InfiniteTimeSpan;
    private Task? _stopTask;

    /// <param name="tls">TLS for the links when <see cref="GatewayTlsOptions.Outbound"/> is on; null = plain TCP.</param>
    /// <param name="options">The gateway options every link runs with.</param>
    /// <param name="metrics">Where links count frames, drops, connections and reconnects.</param>
    /// <param name="loggerFactory">Creates the loggers of the links.</param>
    /// <param name="time">Clock for backoff, idle time and the idle-link sweep; <see cref="TimeProvider.System"/> when null.</param>
    public OutboundLinks(IOptions<GatewayOptions> options, GatewayMetrics metrics, ILoggerFactory loggerFactory, TimeProvider? time = null, GatewayTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<OutboundLinks>();
        _time = time ?? TimeProvider.System;
        _tls = tls;
        // Armed when the first link appears, at the shortest down_after seen, so a link is retired between
        // 3 and 4 down_after periods after its last frame.
        _sweep = _time.CreateTimer(static state => ((OutboundLinks)state!).SweepIdle(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Links currently open (or trying to be).</summary>
    public int Count => _links.Count;

    /// <summary>Queues <paramref name="message"/> on the link from <paramref name="from"/> to <paramref name="to"/>; never blocks.</summary>
    /// <remarks>A receiver that is not a member of the group, or a send after stop, drops the frame and counts it.</remarks>
    public void Send(GroupDefinition group, string from, string to, in ElectionMessage message)
    {
        ArgumentNullException.ThrowIfNull(group);
        var key = new OutboundLinkKey(group.Name, from, to);
        // A link can be retired between the lookup and the enqueue; it then refuses the frame and a fresh link takes it.
        while (true)
        {
            if (!_links.TryGetValue(key, out var link))
            {
                link = GetOrCreate(group, key);
                if (link is null)
                {
                    _metrics.Dropped(message.Verb);
                    return;
                }
            }
            if (link.TryEnqueue(message))
            {
                return;
            }
            _links.TryRemove(new KeyValuePair<OutboundLinkKey, OutboundLink>(key, link));
        }
    }

    /// <summary>The link for a key, if one is open (for diagnostics and tests).</summary>
    public OutboundLink? Find(OutboundLinkKey key) => _links.GetValueOrDefault(key);

    /// <summary>Stops taking frames and drains every link concurrently for up to <paramref name="drain"/>. Idempotent.</summary>
    public Task StopAsync(TimeSpan drain)
    {
        lock (_gate)
        {
            return _stopTask ??= StopCoreAsync(drain);
        }
    }

    /// <summary>Stops every link at once, dropping (and counting) frames still queued.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);

    /// <summary>Closes links idle for 3 x their group's down_after. Runs on the sweep timer.</summary>
    internal void SweepIdle()
    {
        foreach (var (key, link) in _links)
        {
            if (!link.TryCloseIfIdle())
            {
                continue;
            }
            _links.TryRemove(new KeyValuePair<OutboundLinkKey, OutboundLink>(key, link));
            OutboundLog.IdleLinkClosed(_logger, key.Group, key.From, key.To, link.Remote, link.IdleFor);
            // Whatever is still queued was for a member that no longer sends from here: no drain.
            _retiring[link] = RetireAsync(link);
        }
    }

    private async Task RetireAsync(OutboundLink link)
    {
        await link.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _retiring.TryRemove(link, out _);
    }

    private OutboundLink? GetOrCreate(GroupDefinition group, OutboundLinkKey key)
    {
        lock (_gate)
        {
            if (_stopTask is not null)
            {
                return null;
            }
            if (_links.TryGetValue(key, out var existing))
            {
                return existing;
            }
            var member = group.Election.Members.Find(key.To);
            if (member is null)
            {
                if (_unknown.TryAdd(key, true))
                {
                    OutboundLog.UnknownMember(_logger, key.Group, key.From, key.To);
                }
                return null;
            }
            var idleAfter = IdleDownAfters * group.Timings.DownAfter;
            var link = new OutboundLink(key, member.Host, member.ElectPort, _options, _metrics, _logger, _time, tls: _tls) { IdleAfter = idleAfter };
            _links[key] = link;
            if (_sweepPeriod == Timeout.InfiniteTimeSpan || group.Timings.DownAfter < _sweepPeriod)
            {
                _sweepPeriod = group.Timings.DownAfter;
                _sweep.Change(_sweepPeriod, _sweepPeriod);
            }
            return link;
        }
    }

    private async Task StopCoreAsync(TimeSpan drain)
    {
        await _sweep.DisposeAsync().ConfigureAwait(false);
        var stopping = new List<Task>(_retiring.Values);
        foreach (var link in _links.Values)
        {
            stopping.Add(link.StopAsync(drain));
        }
        await Task.WhenAll(stopping).ConfigureAwait(false);
        _links.Clear();
    }
}
