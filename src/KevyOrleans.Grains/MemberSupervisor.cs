using KevyOrleans.Abstractions;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>
/// Runs on every silo from the moment it is active: calls <see cref="IMemberGrain.Ensure"/> on every
/// hosted member of every group at a fixed interval. When a silo dies, its members are re-activated
/// elsewhere by the next round after the cluster declares it dead, with no external traffic needed.
/// Every silo does this, so there is no supervisor to lose.
/// </summary>
public sealed class MemberSupervisor(IGrainFactory grains, IGroupCatalog catalog, ILogger<MemberSupervisor> logger, TimeSpan interval)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Starts the round loop when the silo becomes active and stops it when the silo stops.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(MemberSupervisor), ServiceLifecycleStage.Active, Start, Stop);
    }

    /// <summary>One round: every hosted member, concurrently. Failures are logged; the next round retries.</summary>
    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        var calls = new List<Task>();
        foreach (var group in catalog.Groups)
        {
            foreach (var member in group.Hosted)
            {
                calls.Add(EnsureOneAsync(MemberKey.Format(group.Name, member), cancellationToken));
            }
        }
        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <summary>Frees the token that stops the loop.</summary>
    public void Dispose() => _stopping.Dispose();

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            await EnsureAllAsync(stopping).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
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

    private async Task EnsureOneAsync(string key, CancellationToken stopping)
    {
        try
        {
            await grains.GetGrain<IMemberGrain>(key).Ensure().WaitAsync(interval, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a member that cannot be reached now is retried next round
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SupervisorPokeFailed(logger, key, e);
        }
    }
}
