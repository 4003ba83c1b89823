using Orleans.Runtime;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// Whether this silo serves: true from the moment its Orleans lifecycle reaches <c>Active</c> (grains
/// can be called, the gateway's listeners are open) until the host starts stopping. Backs
/// the <c>silo</c> check of <c>/healthz/ready</c>, so a load balancer or orchestrator stops sending work the moment a stop begins,
/// before members deactivate and links drain.
/// </summary>
public sealed class SiloReadiness(IHostApplicationLifetime lifetime, ILogger<SiloReadiness> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public bool IsReady => _active && !lifetime.ApplicationStopping.IsCancellationRequested;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active, OnActive, OnStopping);
    }

    private Task OnActive(CancellationToken cancellationToken)
    {
        _active = true;
        AdminLog.Readiness(logger, "active", StatusCodes.Status200OK);
        return Task.CompletedTask;
    }

    private Task OnStopping(CancellationToken cancellationToken)
    {
        // Stages stop in reverse, so Active stops before grains deactivate: from here on grains
        // may be deactivating, so the silo no longer serves even if the host was not asked to stop
        // (e.g. the cluster declared this silo dead).
        _active = false;
        AdminLog.Readiness(logger, "stopping", StatusCodes.Status503ServiceUnavailable);
        return Task.CompletedTask;
    }
}
