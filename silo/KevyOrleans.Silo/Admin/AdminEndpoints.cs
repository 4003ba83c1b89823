using KevyOrleans.Silo.Health;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// The admin HTTP API and the status page, co-hosted with the silo:
/// <c>/</c> (status page), <c>/groups</c>, <c>/groups/{name}</c>, <c>/groups/{name}/history</c>
/// (<see cref="GroupEndpoints"/>), <c>/silos</c> (<see cref="SiloEndpoints"/>), <c>/fleet</c> (<see cref="FleetEndpoint"/>), <c>POST /groups/{name}/switchover</c> (<see cref="SwitchoverEndpoint"/>), <c>POST /groups/{name}/pause|resume</c> (<see cref="PauseEndpoints"/>), <c>PUT|DELETE /groups/{name}</c> (<see cref="GroupRegistryEndpoints"/>),
/// <c>/healthz</c>, <c>/healthz/live</c>, <c>/healthz/ready</c> (<see cref="HealthEndpoints"/>) and <c>/metrics</c>. Errors are <c>{"error": "..."}</c>; with
/// <c>Kevy:Admin:ApiKey</c> set, everything but the <c>/healthz</c> probes needs the key. On a loopback URL only
/// local Host headers are answered (<see cref="HostHeaderCheck"/>); state-changing requests need
/// <c>X-Kevy-Request</c> or a JSON body (<see cref="StateChangeCheck"/>).
/// </summary>
public static class AdminEndpoints
{
    /// <summary>What the silo needs for the admin API: the readiness and health checks behind the <c>/healthz</c> probes.</summary>
    public static ISiloBuilder AddKevyAdmin(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<SiloReadiness>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        silo.Services.AddKevyHealthChecks();
        silo.Services.AddSingleton<IFleetSource, GrainFleetSource>();
        silo.Services.AddSingleton<FleetView>();
        return silo;
    }

    public static WebApplication MapKevyAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAdminErrors();
        app.UseMiddleware<HostHeaderCheck>(); // before routing: a rebound page learns nothing, not even a 404
        app.UseRouting(); // before the key and state-change checks, which read the matched endpoint's metadata
        app.UseMiddleware<ApiKeyCheck>();
        app.UseMiddleware<StateChangeCheck>();

        app.MapKevyHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/", StatusPage.Serve).WithMetadata(new ApiKeyInQuery());

        var groups = app.MapGroup("/groups");
        groups.MapGroupQueries();
        groups.MapSwitchover();
        groups.MapPause();
        groups.MapGroupRegistry();
        groups.MapRoleChecks();
        app.MapGet("/silos", SiloEndpoints.ListAsync);
        app.MapGet("/fleet", FleetEndpoint.GetAsync);

        var options = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value;
        app.Lifetime.ApplicationStarted.Register(() => AdminLog.Listening(
            AdminLog.Logger(app.Services), options.Url, string.IsNullOrEmpty(options.ApiKey) ? "not set: open to anyone who can reach the URL" : "required"));
        return app;
    }
}
