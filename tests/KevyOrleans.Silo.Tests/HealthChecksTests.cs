using System.Net;
using System.Text.Json;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The probes through ASP.NET Core health checks, against the real silo host: <c>/healthz/live</c>
/// checks nothing but the process, <c>/healthz/ready</c> checks that the silo is active in the cluster,
/// that the vote storage answers and that every hosted member answers, naming the check that fails;
/// <c>/healthz</c> gives the ready verdict as plain text.
/// </summary>
public sealed class HealthChecksTests
{
    [Fact]
    public async Task Live_and_ready_answer_while_the_silo_serves_and_ready_fails_once_it_stops()
    {
        await using var silo = new AdminSilo("probes");
        await silo.StartAsync();

        var (liveStatus, live) = await ProbeAsync(silo, "/healthz/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateArray());

        var (readyStatus, ready) = await ProbeAsync(silo, "/healthz/ready");
        Assert.True(readyStatus == HttpStatusCode.OK, ready.ToString());
        Assert.Equal(["members", "silo", "storage"], ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(ready.GetProperty("checks").EnumerateArray(), c => Assert.Equal("Healthy", c.GetProperty("status").GetString()));
        Assert.Contains("all 3 hosted members answer", Check(ready, "members"), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "ready"), await TextAsync(silo, "/healthz"));

        // What SIGTERM does first: the host is stopping, the server still answers.
        silo.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var (stoppingStatus, stopping) = await ProbeAsync(silo, "/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stoppingStatus);
        Assert.Contains("starting or stopping", Check(stopping, "silo"), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready"), await TextAsync(silo, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(silo, "/healthz/live")).Status); // a draining silo is not restarted
    }

    [Fact]
    public async Task A_silo_whose_storage_is_gone_is_live_but_not_ready_and_says_storage()
    {
        await using var silo = new AdminSilo("nostorage");
        await silo.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(silo, "/healthz/ready")).Status);

        Directory.Delete(silo.StoragePath, recursive: true); // the volume is gone: every read of a record fails

        var (status, ready) = await ProbeAsync(silo, "/healthz/ready");
        Assert.True(status == HttpStatusCode.ServiceUnavailable, ready.ToString());
        Assert.Equal("Unhealthy", CheckStatus(ready, "storage"));
        Assert.Contains("kevy-votes failed a read: DirectoryNotFoundException", Check(ready, "storage"), StringComparison.Ordinal);
        Assert.Equal("Healthy", CheckStatus(ready, "silo"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready"), await TextAsync(silo, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(silo, "/healthz/live")).Status);
    }

    [Fact]
    public async Task A_hosted_member_that_cannot_activate_makes_the_silo_not_ready_and_is_named()
    {
        await using var silo = new AdminSilo("brokenmember", configure: s => s.Services.AddSingleton<IDataNodeFactory>(new FailingFor("n2")));
        await silo.StartAsync();

        var (status, ready) = await ProbeAsync(silo, "/healthz/ready");
        Assert.True(status == HttpStatusCode.ServiceUnavailable, ready.ToString());
        var members = Check(ready, "members");
        Assert.Contains("1 of 3 hosted members did not answer: brokenmember/n2:", members, StringComparison.Ordinal);
        Assert.Contains("no driver for n2", members, StringComparison.Ordinal);
        Assert.Equal("Healthy", CheckStatus(ready, "storage"));
        Assert.Equal("Healthy", CheckStatus(ready, "silo"));
    }

    private static string Check(JsonElement report, string name) =>
        Find(report, name).GetProperty("description").GetString() ?? "";

    private static string? CheckStatus(JsonElement report, string name) => Find(report, name).GetProperty("status").GetString();

    private static JsonElement Find(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync(AdminSilo silo, string path)
    {
        using var response = await silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, string Body)> TextAsync(AdminSilo silo, string path)
    {
        using var response = await silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The scripted data nodes, except that <paramref name="member"/>'s cannot be made: its grain fails to activate.</summary>
    private sealed class FailingFor(string member) : IDataNodeFactory
    {
        private readonly ScriptedDataNodeFactory _scripted = new();

        public IDataNode Create(GroupDefinition group, string id) =>
            id == member ? throw new InvalidOperationException($"no driver for {id}") : _scripted.Create(group, id);
    }
}
