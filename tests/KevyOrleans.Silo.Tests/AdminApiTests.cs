using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;
using Xunit.Abstractions;

namespace KevyOrleans.Silo.Tests;

/// <summary>The admin API of a real silo without an API key: every endpoint, its JSON, its errors.</summary>
public sealed class AdminApiTests(OpenSiloFixture fixture, ITestOutputHelper output) : IClassFixture<OpenSiloFixture>
{
    private readonly AdminSilo _silo = fixture.Silo;

    [Fact]
    public async Task Groups_lists_every_configured_group_with_its_summary()
    {
        var primary = await _silo.PrimaryAsync();
        await Eventually.Until(async () =>
        {
            var groups = (await _silo.GetJsonAsync("/groups")).GetProperty("groups").EnumerateArray().ToList();
            var g = Assert.Single(groups);
            Assert.Equal(_silo.Group, g.GetProperty("name").GetString());
            Assert.Equal(3, g.GetProperty("members").GetInt32());
            Assert.False(g.TryGetProperty("error", out _), "a group that answered carries no error");
            return g.GetProperty("primary").GetString() == primary && g.GetProperty("membersUp").GetInt32() == 3 && g.GetProperty("epoch").GetUInt64() >= 1;
        }, TimeSpan.FromSeconds(20), "GET /groups shows the primary, epoch >= 1 and 3 of 3 up");
    }

    [Fact]
    public async Task A_group_shows_epoch_primary_and_every_member_as_its_peers_see_it()
    {
        var primary = await _silo.PrimaryAsync();
        var detail = await _silo.GetJsonAsync($"/groups/{_silo.Group}");

        Assert.Equal(_silo.Group, detail.GetProperty("name").GetString());
        Assert.True(detail.GetProperty("epoch").GetUInt64() >= 1);
        var members = detail.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["n1", "n2", "w3"], members.Keys.Order());
        Assert.Equal("primary", members[primary].GetProperty("role").GetString());
        foreach (var (id, m) in members)
        {
            Assert.True(m.GetProperty("hosted").GetBoolean(), $"{id} is hosted");
            Assert.Equal(id == "w3", m.GetProperty("witness").GetBoolean());
            Assert.Equal(JsonValueKind.Number, m.GetProperty("offset").ValueKind);
            Assert.Equal(JsonValueKind.Number, m.GetProperty("epoch").ValueKind);
            Assert.True(m.GetProperty("lastSeenMsAgo").GetInt64() >= 0);
            Assert.True(m.TryGetProperty("up", out _));
            // Data members report their data node's health; a witness has none.
            Assert.Equal(id == "w3" ? JsonValueKind.Null : JsonValueKind.True, m.GetProperty("dataNodeHealthy").ValueKind);
        }
        Assert.Single(members.Values, m => m.GetProperty("role").GetString() == "primary");
    }

    [Fact]
    public async Task Silos_lists_this_silo_with_every_member_it_hosts_and_the_group_names_the_same_silo()
    {
        await _silo.PrimaryAsync();
        var silos = (await _silo.GetJsonAsync("/silos")).GetProperty("silos").EnumerateArray().ToList();
        var silo = Assert.Single(silos);
        var address = silo.GetProperty("address").GetString();
        Assert.StartsWith("S127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("name").GetString()));
        Assert.Equal([$"{_silo.Group}/n1", $"{_silo.Group}/n2", $"{_silo.Group}/w3"], silo.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        var members = (await _silo.GetJsonAsync($"/groups/{_silo.Group}")).GetProperty("members").EnumerateArray();
        Assert.All(members, m => Assert.Equal(address, m.GetProperty("silo").GetString()));
    }

    [Fact]
    public async Task History_has_the_election_of_the_current_primary_newest_first()
    {
        var primary = await _silo.PrimaryAsync();
        var epoch = (await _silo.GetJsonAsync($"/groups/{_silo.Group}")).GetProperty("epoch").GetUInt64();
        // Members report elections one-way, so the history may trail the status a little.
        await Eventually.Until(async () =>
        {
            var elections = (await _silo.GetJsonAsync($"/groups/{_silo.Group}/history")).GetProperty("elections").EnumerateArray().ToList();
            return elections.Count > 0
                && elections[0].GetProperty("epoch").GetUInt64() == epoch
                && elections[0].GetProperty("primary").GetString() == primary
                && elections[0].GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)
                && elections.Zip(elections.Skip(1)).All(p => p.First.GetProperty("epoch").GetUInt64() >= p.Second.GetProperty("epoch").GetUInt64());
        }, TimeSpan.FromSeconds(20), $"the history's newest entry is epoch {epoch}, {primary}");

        var one = (await _silo.GetJsonAsync($"/groups/{_silo.Group}/history?limit=1")).GetProperty("elections");
        Assert.Equal(1, one.GetArrayLength());
    }

    [Theory]
    [InlineData("/groups/no-such-group")]
    [InlineData("/groups/no-such-group/history")]
    public async Task An_unknown_group_is_404_with_an_error_naming_it(string path)
    {
        var (status, error) = await ErrorAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("'no-such-group'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task A_bad_history_limit_is_400_with_an_error_naming_it(string limit)
    {
        var (status, error) = await ErrorAsync(HttpMethod.Get, $"/groups/{_silo.Group}/history?limit={limit}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"'{limit}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_get_json_errors_too()
    {
        var (status, error) = await ErrorAsync(HttpMethod.Get, "/no/such/thing");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/no/such/thing", error, StringComparison.Ordinal);

        (status, error) = await ErrorAsync(HttpMethod.Patch, $"/groups/{_silo.Group}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("PATCH", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers_ready_while_the_silo_serves()
    {
        using var response = await _silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_exports_the_kevy_series_after_an_election()
    {
        await _silo.PrimaryAsync();
        string text = "";
        // Exporters collect on scrape; the counters exist once the election's writes happened.
        await Eventually.Until(async () =>
        {
            using var response = await _silo.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
            return Series(text, "kevy_elections_won_total").Any(l => l.Contains($"group=\"{_silo.Group}\"", StringComparison.Ordinal))
                && Series(text, "kevy_storage_writes_total").Any(l => l.Contains($"group=\"{_silo.Group}\"", StringComparison.Ordinal))
                && Series(text, "kevy_frames_sent_total").Any();
        }, TimeSpan.FromSeconds(20), "/metrics has kevy_elections_won_total, kevy_storage_writes_total and kevy_frames_sent_total");

        foreach (var family in text.Split('\n').Where(l => l.StartsWith("# TYPE kevy_", StringComparison.Ordinal)))
        {
            output.WriteLine(family);
        }
        var won = Series(text, "kevy_elections_won_total").First(l => l.Contains($"group=\"{_silo.Group}\"", StringComparison.Ordinal));
        Assert.True(double.Parse(won.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 1, won);
    }

    [Fact]
    public async Task The_status_page_is_one_self_contained_html_file()
    {
        using var response = await _silo.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>kevy-silo status</title>", html, StringComparison.Ordinal);
        // Nothing from elsewhere: no CDN, no web fonts, no external script or style.
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Series(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));

    private async Task<(HttpStatusCode Status, string Error)> ErrorAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _silo.Http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return (response.StatusCode, error!);
    }
}
