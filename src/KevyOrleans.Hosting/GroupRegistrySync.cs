using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Hosting;

/// <summary>
/// Keeps this silo's <see cref="RuntimeGroupCatalog"/> in step with the cluster's registry of run-time
/// groups: from the moment the silo is active, every <c>interval</c> (the supervisor's) it asks the
/// registry's version and, when it moved, reads the groups, checks each with <see cref="RuntimeGroups"/>
/// and replaces the catalog's run-time groups at once. A definition this silo cannot run is logged and
/// left out. The admin API calls <see cref="RefreshAsync"/> after a change so its own silo applies it at once.
/// </summary>
public sealed class GroupRegistrySync(IGrainFactory grains, RuntimeGroupCatalog catalog, KevySettings settings,
    ILogger<GroupRegistrySync> logger, TimeSpan interval) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private Task? _loop;

    /// <summary>Starts polling when the silo becomes active; stops with it.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(GroupRegistrySync), ServiceLifecycleStage.Active, _ =>
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
            return Task.CompletedTask;
        }, async ct =>
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            if (_loop is not null)
            {
                await _loop.WaitAsync(ct).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Reads the registry now and applies it when its version moved.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var registry = grains.GetGrain<IGroupRegistryGrain>(0);
        if (await registry.GetVersion().WaitAsync(interval * 4, cancellationToken).ConfigureAwait(false) == catalog.Version)
        {
            return;
        }
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await registry.Get().WaitAsync(interval * 4, cancellationToken).ConfigureAwait(false);
            if (snapshot.Version == catalog.Version)
            {
                return;
            }
            var runnable = new List<GroupDefinition>();
            foreach (var spec in snapshot.Groups)
            {
                var (group, errors) = RuntimeGroups.Read(settings, catalog, spec);
                if (group is null)
                {
                    RegistryLog.Skipped(logger, spec.Name, string.Join("; ", errors.Select(e => e.Message)));
                    continue;
                }
                runnable.Add(group);
            }
            var (added, removed) = catalog.SetRuntimeGroups(snapshot.Version, runnable);
            if (added.Count > 0 || removed.Count > 0)
            {
                RegistryLog.Applied(logger, snapshot.Version, string.Join(",", added), string.Join(",", removed));
            }
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>Frees the stop token and the apply lock.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        _applying.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await RefreshAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the registry may be moving with a dead silo: the next round retries
            catch (Exception e)
#pragma warning restore CA1031
            {
                RegistryLog.ReadFailed(logger, e);
            }
        }
        while (await NextAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
