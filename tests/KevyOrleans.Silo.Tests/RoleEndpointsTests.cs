using System.Net;
using System.Text.Json;
using KevyOrleans.Grains;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Silo.Tests;

/// <summary>Group <c>roles</c>, whose primary's data node the role-endpoint tests kill.</summary>
public sealed class RolesSiloFixture() : SiloFixture("roles");

/// <summary>The load balancers' role endpoints of a real silo: 200 only for the role asked, 503 otherwise, and they follow a failover.</summary>
public sealed class RoleEndpointsTests(RolesSiloFixture fixture) : IClassFixture<RolesSiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly AdminSilo _silo = fixture.Silo;

    [Fact]
    public async Task Only_the_primary_passes_the_primary_check_only_replicas_pass_the_replica_check_and_the_lag_limit_holds()
    {
        var primary = await _silo.PrimaryAsync();
        var replica = primary == "n1" ? "n2" : "n1";
        await Eventually.Until(async () => (await GetAsync($"/groups/{_silo.Group}/members/{replica}/replica")).Status == HttpStatusCode.OK,
            Patience, $"{replica} passes the replica check");

        // A primary is fenced until its lease holds (a fresh win or a resumed primacy: one heartbeat round).
        await Eventually.Until(async () => (await GetAsync($"/groups/{_silo.Group}/members/{primary}/primary")).Status == HttpStatusCode.OK,
            Patience, $"{primary} passes the primary check");
        var (status, body) = await GetAsync($"/groups/{_silo.Group}/members/{primary}/primary");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync($"/groups/{_silo.Group}/members/{replica}/primary")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync($"/groups/{_silo.Group}/members/w3/primary")).Status);
        (status, body) = await GetAsync($"/groups/{_silo.Group}/members/{primary}/replica");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("not replica", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync($"/groups/{_silo.Group}/members/w3/replica")).Status);

        // The replica trails the primary by 600 bytes: within lag=1000, beyond lag=100.
        ScriptedDataNodes.Get(_silo.Group, primary).Offset = 1000;
        ScriptedDataNodes.Get(_silo.Group, replica).Offset = 400;
        await Eventually.Until(async () => (await GetAsync($"/groups/{_silo.Group}/members/{replica}/replica")).Body.TryGetProperty("lagBytes", out var lag)
            && lag.GetUInt64() == 600, Patience, "the replica check reports a lag of 600 bytes");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/groups/{_silo.Group}/members/{replica}/replica?lag=1000")).Status);
        (status, body) = await GetAsync($"/groups/{_silo.Group}/members/{replica}/replica?lag=100");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("600 bytes behind the primary, more than lag=100", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync($"/groups/{_silo.Group}/members/{replica}/replica?lag=-5")).Status);
        ScriptedDataNodes.Get(_silo.Group, replica).Offset = 1000;
    }

    [Fact]
    public async Task The_primary_endpoint_gives_the_primarys_data_node_address()
    {
        var primary = await _silo.PrimaryAsync();
        var entry = _silo.App.Services.GetRequiredService<IGroupCatalog>().Find(_silo.Group)!.Member(primary);
        var (status, body) = await GetAsync($"/groups/{_silo.Group}/primary");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(primary, body.GetProperty("member").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("host").GetString());
        Assert.Equal(entry.ClientPort, body.GetProperty("port").GetInt32());
        Assert.True(body.GetProperty("epoch").GetUInt64() >= 1);
    }

    [Theory]
    [InlineData("/groups/nope/primary")]
    [InlineData("/groups/nope/members/n1/primary")]
    [InlineData("/groups/roles/members/n9/primary")]
    [InlineData("/groups/roles/members/n9/replica")]
    public async Task Unknown_groups_and_members_are_404(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(path)).Status);
    }

    [Fact]
    public async Task When_the_primarys_data_node_dies_its_check_fails_and_the_new_primary_passes()
    {
        var primary = await _silo.PrimaryAsync();
        ScriptedDataNodes.Get(_silo.Group, primary).Alive = false;
        try
        {
            await Eventually.Until(async () => (await GetAsync($"/groups/{_silo.Group}/members/{primary}/primary")).Status == HttpStatusCode.ServiceUnavailable,
                Patience, $"{primary} fails the primary check once its data node is dead");
            var successor = await _silo.PrimaryAsync(not: primary);
            await Eventually.Until(async () => (await GetAsync($"/groups/{_silo.Group}/members/{successor}/primary")).Status == HttpStatusCode.OK,
                Patience, $"the new primary {successor} passes the primary check");
            Assert.Equal(successor, (await GetAsync($"/groups/{_silo.Group}/primary")).Body.GetProperty("member").GetString());
        }
        finally
        {
            ScriptedDataNodes.Get(_silo.Group, primary).Alive = true;
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
