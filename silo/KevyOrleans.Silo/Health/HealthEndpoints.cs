using System.Text.Json;
using KevyOrleans.Silo.Admin;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KevyOrleans.Silo.Health;

/// <summary>
/// The probes, as ASP.NET Core health checks, all without the API key:
/// <c>/healthz/live</c> (the process answers HTTP; no dependency is checked, so a storage outage
/// never gets silos restarted), <c>/healthz/ready</c> (the checks tagged <see cref="Ready"/>:
/// <see cref="SiloActiveCheck"/>, <see cref="StorageCheck"/>, <see cref="MembersCheck"/>; JSON with
/// each check's verdict) and <c>/healthz</c>, the same verdict as ready with the plain
/// <c>ready</c> / <c>not ready</c> body it always had. 200 when healthy, 503 otherwise.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>The tag of the checks behind <c>/healthz/ready</c> and <c>/healthz</c>.</summary>
    public const string Ready = "ready";

    public static IServiceCollection AddKevyHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [Ready])
            .AddCheck<StorageCheck>("storage", tags: [Ready])
            .AddCheck<MembersCheck>("members", tags: [Ready]);
        return services;
    }

    public static WebApplication MapKevyHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync })
            .WithMetadata(new NoApiKey());
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = IsReadyCheck, ResponseWriter = WriteJsonAsync })
            .WithMetadata(new NoApiKey());
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = IsReadyCheck, ResponseWriter = WriteTextAsync })
            .WithMetadata(new NoApiKey());
        return app;
    }

    private static bool IsReadyCheck(HealthCheckRegistration check) => check.Tags.Contains(Ready);

    private static Task WriteTextAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ready" : "not ready");
    }

    /// <summary><c>{"status": "Healthy", "checks": [{"name", "status", "description", "durationMs"}]}</c>.</summary>
    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
