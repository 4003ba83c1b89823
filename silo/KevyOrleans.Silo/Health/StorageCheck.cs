using System.Diagnostics;
using KevyOrleans.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Storage;

namespace KevyOrleans.Silo.Health;

/// <summary>
/// Ready check <c>storage</c>: the <c>kevy-votes</c> grain storage answers a read of a record nobody
/// writes, within <see cref="Timeout"/>. Without it no member can load or commit its vote, so a silo
/// that cannot reach its storage is not ready, whatever else works. Read-only: a probe changes nothing.
/// </summary>
internal sealed class StorageCheck(IServiceProvider services) : IHealthCheck
{
    /// <summary>How long the read may take: under the 5 s the infra probes allow a whole answer.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private const string StateName = "health";
    private static readonly GrainId ProbeId = GrainId.Create("kevy-health", "probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var storage = services.GetKeyedService<IGrainStorage>(KevyStorageNames.ElectionState);
        if (storage is null)
        {
            return HealthCheckResult.Unhealthy($"no grain storage named {KevyStorageNames.ElectionState} is registered");
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await storage.ReadStateAsync(StateName, ProbeId, new GrainState<HealthProbe>()).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{KevyStorageNames.ElectionState} did not answer a read within {Timeout.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // whatever the provider throws, the answer is "not ready", with the reason
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"{KevyStorageNames.ElectionState} failed a read: {e.GetType().Name}: {e.Message}", e);
        }
        return HealthCheckResult.Healthy(
            $"{KevyStorageNames.ElectionState} answered a read in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
    }

    /// <summary>The state type of the probe's read; no record of it is ever written.</summary>
    internal sealed class HealthProbe;
}
