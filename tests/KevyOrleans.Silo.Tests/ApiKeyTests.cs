using System.Net;
using System.Text.Json;
using KevyOrleans.Silo.Tests.Support;

namespace KevyOrleans.Silo.Tests;

/// <summary>A silo with <c>Kevy:Admin:ApiKey</c> set: the key is required, checked, and never logged.</summary>
public sealed class ApiKeyTests(KeyedSiloFixture fixture) : IClassFixture<KeyedSiloFixture>
{
    private const string Key = KeyedSiloFixture.ApiKey;
    private readonly AdminSilo _silo = fixture.Silo;

    public static TheoryData<string> Protected => ["/", "/groups", "/groups/payments", "/groups/payments/history", "/metrics", "/groups/no-such-group", "/no/such/thing"];

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Without_the_key_every_endpoint_but_healthz_is_401_with_a_json_error(string path)
    {
        var (status, error) = await SendAsync(path, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("X-Api-Key", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test-key-0123456789abcdeX")] // same length, last character differs
    [InlineData("test-key")]                  // a prefix
    [InlineData("test-key-0123456789abcdef-and-more")]
    public async Task A_wrong_key_is_401(string wrong)
    {
        foreach (var path in new[] { "/groups", "/metrics", "/" })
        {
            var (status, error) = await SendAsync(path, wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("Kevy:Admin:ApiKey", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_right_key_is_accepted_everywhere()
    {
        await _silo.PrimaryAsync(Key);
        foreach (var path in new[] { "/", "/groups", "/groups/payments", "/groups/payments/history", "/metrics" })
        {
            var (status, _) = await SendAsync(path, Key);
            Assert.True(status == HttpStatusCode.OK, $"GET {path} with the key: {status}");
        }
        // An unknown group is still a 404 once the key is right.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("/groups/no-such-group", Key)).Status);
    }

    [Fact]
    public async Task Healthz_needs_no_key()
    {
        using var response = await _silo.Http.GetAsync(new Uri("/HEALTHZ", UriKind.Relative)); // routes match any case; so does the exemption
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task The_live_and_ready_probes_need_no_key(string path)
    {
        using var response = await _silo.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Only_the_page_takes_the_key_in_the_query()
    {
        using var page = await _silo.Http.GetAsync(new Uri($"/?key={Key}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync($"/groups?key={Key}", key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync($"/?key=wrong-{Key}", key: null)).Status);
    }

    [Fact]
    public async Task The_page_opened_with_the_key_sends_it_and_renders_the_group()
    {
        var primary = await _silo.PrimaryAsync(Key);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_silo.BaseAddress, $"/?key={Key}").ToString());
        var shown = page.Locator("#detail [data-group='payments'] [data-field='primary']");
        await Eventually.Until(async () => await shown.CountAsync() == 1 && await shown.TextContentAsync() == primary,
            TimeSpan.FromSeconds(60), $"the page shows primary {primary}"); // a browser start on a loaded machine
        Assert.False(await page.Locator("#banner").IsVisibleAsync(), await page.Locator("#banner").TextContentAsync() ?? "");
    }

    [Fact]
    public async Task Refusals_are_logged_without_the_key()
    {
        await SendAsync("/groups", "a-wrong-key-of-some-length");
        await SendAsync($"/?key={Key}", key: null);
        await SendAsync("/groups", Key);
        await Eventually.Until(() => Task.FromResult(fixture.Logs.Lines.Any(l => l.Event.Id == 4001 && l.Text.Contains("wrong API key", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(5), "a refusal is logged (event 4001)");
        Assert.Contains(fixture.Logs.Lines, l => l.Event.Id == 4000 && l.Text.Contains("required", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Text.Contains(Key, StringComparison.Ordinal) || l.Text.Contains("a-wrong-key", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, string Error)> SendAsync(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        using var response = await _silo.Http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return (response.StatusCode, "");
        }
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("error").GetString()!);
    }
}
