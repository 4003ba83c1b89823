using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// Keeps <see cref="SentinelState"/> current: every <see cref="SentinelOptions.RefreshMs"/> it reads each
/// group's status from its group grain (what the admin API serves), replaces the group's view, publishes
/// the events between the old view and the new (<see cref="SentinelEvents"/>), and announces this endpoint
/// to the directory. A group that does not answer keeps its last view; nothing here waits on a member.
/// </summary>
internal sealed class SentinelRefresher(SentinelState state, IGroupCatalog catalog, IGrainFactory grains, SentinelAnnouncement self, ILogger logger)
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, SentinelGroupView> _last = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private readonly Lock _lock = new(); // groups refresh in parallel; _last and _failing are shared
    private bool _directoryFailing;

    public async Task RunAsync(CancellationToken stopping)
    {
        foreach (var group in catalog.Groups)
        {
            state.SetView(SentinelGroupView.Unknown(group));
        }
        var period = TimeSpan.FromMilliseconds(state.Options.RefreshMs);
        while (!stopping.IsCancellationRequested)
        {
            await Task.WhenAll(catalog.Groups.Select(g => RefreshAsync(g, stopping))).ConfigureAwait(false);
            await AnnounceAsync().ConfigureAwait(false);
            try
            {
                await Task.Delay(period, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads one group and publishes what changed; public for tests that drive one round.</summary>
    public async Task RefreshAsync(GroupDefinition group, CancellationToken stopping)
    {
        GroupStatus status;
        try
        {
            status = await grains.GetGrain<IGroupGrain>(group.Name).GetStatus().WaitAsync(StatusTimeout, stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a silent group keeps its last view; the others carry on
        catch (Exception e) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
        {
            bool first;
            lock (_lock)
            {
                first = _failing.Add(group.Name);
            }
            if (first)
            {
                SentinelLog.GroupUnavailable(logger, group.Name, e);
            }
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Apply(group, status);
    }

    /// <summary>Replaces the group's view with the one of <paramref name="status"/> and publishes the events between them.</summary>
    public void Apply(GroupDefinition group, GroupStatus status)
    {
        IReadOnlyList<SentinelEvent> events;
        lock (_lock)
        {
            _failing.Remove(group.Name);
            var before = _last.GetValueOrDefault(group.Name);
            var view = SentinelGroupView.From(group, status);
            if (view.Primary is null)
            {
                view = view with { LastPrimary = before?.MasterAddress };
            }
            _last[group.Name] = view;
            state.SetView(view);
            events = SentinelEvents.Between(before, view);
        }
        foreach (var e in events)
        {
            state.Metrics.Published(e.Channel);
            SentinelLog.Published(logger, e.Channel, e.Payload);
            state.Hub.Publish(e);
        }
    }

    private async Task AnnounceAsync()
    {
        try
        {
            var peers = await grains.GetGrain<ISentinelDirectoryGrain>(0).Announce(self).WaitAsync(StatusTimeout).ConfigureAwait(false);
            state.SetPeers(peers);
            _directoryFailing = false;
        }
#pragma warning disable CA1031 // the directory is soft state: the last list of peers stays
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!_directoryFailing)
            {
                _directoryFailing = true;
                SentinelLog.DirectoryUnavailable(logger, e);
            }
        }
    }
}
