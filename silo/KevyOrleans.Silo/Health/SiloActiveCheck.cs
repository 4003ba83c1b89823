using KevyOrleans.Silo.Admin;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KevyOrleans.Silo.Health;

/// <summary>
/// Ready check <c>silo</c>: the silo's lifecycle is between <c>Active</c> and the start of a stop
/// (<see cref="SiloReadiness"/>), and the cluster's membership table has this silo as active (a silo
/// the others declared dead is not, even before it notices).
/// </summary>
internal sealed class SiloActiveCheck(SiloReadiness readiness, IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo is not active: it is starting or stopping"));
        }
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {local.Name} is active in cluster {local.ClusterId}")
            : HealthCheckResult.Unhealthy($"the cluster's membership has silo {local.Name} as {status}, not Active"));
    }
}
