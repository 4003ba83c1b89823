using System.Net;
using KevyOrleans.Silo.Admin;
using KevyOrleans.Silo.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KevyOrleans.Silo.Tests;

/// <summary>/healthz follows the silo's lifecycle: not ready before Active, ready while serving, 503 once stopping.</summary>
public sealed class HealthzTests
{
    [Fact]
    public async Task Healthz_is_ready_only_between_active_and_stopping()
    {
        await using var silo = new AdminSilo("carts");
        var readiness = silo.App.Services.GetRequiredService<SiloReadiness>();
        Assert.False(readiness.IsReady, "ready before the silo started");

        await silo.StartAsync();
        Assert.True(readiness.IsReady, "not ready once started: the HTTP server opens only after the silo is Active");
        using (var ready = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
        }

        // What SIGTERM does first: the host is stopping, the server still answers, probes must see 503.
        silo.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        using (var stopping = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stopping.StatusCode);
            Assert.Equal("not ready", await stopping.Content.ReadAsStringAsync());
        }

        await silo.App.StopAsync();
        Assert.False(readiness.IsReady, "ready after the silo stopped");
    }
}
