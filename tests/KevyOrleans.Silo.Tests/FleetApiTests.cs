using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// <c>GET /fleet</c> and <c>GET /groups?state=</c> against a real silo (one group of three hosted members,
/// scripted data nodes): the summary, the group's state as members go down, the detail with its elections
/// and lag samples, and the 400s that name the parameter.
/// </summary>
public sealed class FleetApiTests(FleetApiSiloFixture fixture, ITestOutputHelper output) : IClassFixture<FleetApiSiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AdminSilo _silo = fixture.Silo;

    [Fact]
    public async Task Fleet_answers_the_summary_a_page_and_the_chosen_groups_detail_with_its_lag_samples()
    {
        var primary = await _silo.PrimaryAsync();
        var replica = AdminSilo.OtherDataMember(primary);
        ScriptedDataNodes.Get(_silo.Group, primary).Offset = 5000;
        ScriptedDataNodes.Get(_silo.Group, replica).Offset = 4200;

        JsonElement answer = default;
        await Eventually.Until(async () =>
        {
            answer = await _silo.GetJsonAsync($"/fleet?group={_silo.Group}");
            var lags = answer.GetProperty("detail").GetProperty("lags").EnumerateArray().ToList();
            return answer.GetProperty("summary").GetProperty("healthy").GetInt32() == 1 && lags.Count >= 3
                && Lag(lags[^1], replica).GetProperty("replicationLagBytes").ValueKind == JsonValueKind.Number
                && Lag(lags[^1], replica).GetProperty("replicationLagBytes").GetUInt64() == 800;
        }, Patience, $"the group healthy, 3 or more lag samples, and {replica} 800 bytes behind in the newest");
        output.WriteLine(answer.ToString());

        var summary = answer.GetProperty("summary");
        Assert.Equal((1, 1, 0, 0), (summary.GetProperty("groups").GetInt32(), summary.GetProperty("healthy").GetInt32(),
            summary.GetProperty("degraded").GetInt32(), summary.GetProperty("noPrimary").GetInt32()));
        Assert.True(summary.GetProperty("electionsLastHour").GetInt32() >= 1);
        Assert.Equal((1, 1, 1, 50), (answer.GetProperty("matched").GetInt32(), answer.GetProperty("page").GetInt32(),
            answer.GetProperty("pages").GetInt32(), answer.GetProperty("pageSize").GetInt32()));
        var group = Assert.Single(answer.GetProperty("groups").EnumerateArray());
        Assert.Equal(_silo.Group, group.GetProperty("name").GetString());
        Assert.Equal("healthy", group.GetProperty("state").GetString());
        Assert.Equal(primary, group.GetProperty("primary").GetString());
        Assert.Equal((3, 3), (group.GetProperty("members").GetInt32(), group.GetProperty("membersUp").GetInt32()));
        Assert.True(group.GetProperty("electionsLastHour").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.String, group.GetProperty("lastElectionAt").ValueKind);

        var detail = answer.GetProperty("detail");
        Assert.Equal(primary, detail.GetProperty("primary").GetString());
        Assert.Equal(3, detail.GetProperty("members").GetArrayLength());
        var newest = detail.GetProperty("elections").EnumerateArray().First();
        Assert.Equal(primary, newest.GetProperty("primary").GetString());
        Assert.Equal(detail.GetProperty("epoch").GetUInt64(), newest.GetProperty("epoch").GetUInt64());
        var samples = detail.GetProperty("lags").EnumerateArray().ToList();
        Assert.True(samples.Count <= 120);
        var times = samples.Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromMilliseconds(900), $"samples {p.First:O} and {p.Second:O}"));
        var last = samples[^1];
        Assert.Equal(["n1", "n2", "w3"], last.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        // The primary and the witness have no replication lag; every member that was heard has a heartbeat lag.
        Assert.Equal(JsonValueKind.Null, Lag(last, primary).GetProperty("replicationLagBytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, Lag(last, "w3").GetProperty("replicationLagBytes").ValueKind);
        Assert.All(last.GetProperty("members").EnumerateArray(), m => Assert.True(m.GetProperty("heartbeatLagMs").GetInt64() >= 0));
    }

    [Fact]
    public async Task A_member_down_makes_the_group_degraded_in_the_fleet_and_in_groups_by_state()
    {
        var primary = await _silo.PrimaryAsync();
        var replica = AdminSilo.OtherDataMember(primary);
        await Eventually.Until(async () => await StatesAsync("healthy") == _silo.Group, Patience, "GET /groups?state=healthy lists the group");
        Assert.Equal("", await StatesAsync("noprimary"));
        ScriptedDataNodes.Get(_silo.Group, replica).Alive = false;
        try
        {
            await Eventually.Until(async () => await StatesAsync("degraded") == _silo.Group, Patience, $"with {replica}'s data node dead, GET /groups?state=degraded lists the group");
            Assert.Equal("", await StatesAsync("HEALTHY"));
            var all = Assert.Single((await _silo.GetJsonAsync("/groups")).GetProperty("groups").EnumerateArray());
            Assert.Equal("degraded", all.GetProperty("state").GetString());
            await Eventually.Until(async () =>
            {
                var fleet = await _silo.GetJsonAsync("/fleet?state=degraded");
                return fleet.GetProperty("summary").GetProperty("degraded").GetInt32() == 1 && fleet.GetProperty("matched").GetInt32() == 1;
            }, Patience, "GET /fleet counts the group degraded");
            Assert.Equal(0, (await _silo.GetJsonAsync("/fleet?state=healthy")).GetProperty("matched").GetInt32());
        }
        finally
        {
            ScriptedDataNodes.Get(_silo.Group, replica).Alive = true;
        }
        await Eventually.Until(async () => await StatesAsync("healthy") == _silo.Group, Patience, "healthy again once the data node answers");
    }

    [Theory]
    [InlineData("/groups?state=sick", HttpStatusCode.BadRequest, "state is 'sick'; it must be healthy, degraded or noprimary")]
    [InlineData("/fleet?state=sick", HttpStatusCode.BadRequest, "state is 'sick'")]
    [InlineData("/fleet?page=0", HttpStatusCode.BadRequest, "page is '0'")]
    [InlineData("/fleet?pageSize=all", HttpStatusCode.BadRequest, "pageSize is 'all'")]
    [InlineData("/fleet?group=nope", HttpStatusCode.NotFound, "no group 'nope' is configured on this silo")]
    public async Task A_bad_parameter_gets_an_error_that_names_it(string path, HttpStatusCode status, string error)
    {
        using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(error, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> StatesAsync(string state) => string.Join(",",
        (await _silo.GetJsonAsync($"/groups?state={state}")).GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));

    private static JsonElement Lag(JsonElement sample, string member) =>
        sample.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == member);
}
