using System.Net;
using System.Text;
using System.Text.Json;
using KevyOrleans.Silo.Ctl;
using KevyOrleans.Silo.Tests.Support;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Maintenance mode through a real silo's admin API and <c>kevy-silo ctl</c>: pause with an expiry,
/// shown in <c>GET /groups</c> and <c>GET /groups/{name}</c>, a switchover refused while paused, resume;
/// every bad input a 400 naming the field; ctl's table, <c>--json</c>, exit codes and help.
/// </summary>
public sealed class PauseApiTests(PauseSiloFixture fixture) : IClassFixture<PauseSiloFixture>
{
    private const string Key = PauseSiloFixture.ApiKey;
    private readonly AdminSilo _silo = fixture.Silo;

    private string Url => _silo.BaseAddress.ToString().TrimEnd('/');

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? json = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", Key);
        if (json is null)
        {
            request.Headers.Add("X-Kevy-Request", "1");
        }
        else
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<(int Code, string Output, string Error)> CtlAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CtlCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_pause_with_an_expiry_shows_everywhere_refuses_a_switchover_and_resume_ends_it()
    {
        await _silo.PrimaryAsync(Key);
        var before = DateTimeOffset.UtcNow;
        var (status, paused) = await PostAsync("/groups/maint/pause", """{"expiresAfterSeconds":600}""");
        try
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(paused.GetProperty("paused").GetBoolean());
            var until = paused.GetProperty("until").GetDateTimeOffset();
            Assert.InRange(until, before.AddSeconds(600), before.AddSeconds(600) + TimeSpan.FromMinutes(5));

            var summary = Assert.Single((await _silo.GetJsonAsync("/groups", Key)).GetProperty("groups").EnumerateArray());
            Assert.True(summary.GetProperty("paused").GetBoolean());
            Assert.Equal(until, summary.GetProperty("pausedUntil").GetDateTimeOffset());
            var detail = await _silo.GetJsonAsync("/groups/maint", Key);
            Assert.True(detail.GetProperty("paused").GetBoolean());

            var (refused, error) = await PostAsync("/groups/maint/switchover");
            Assert.Equal(HttpStatusCode.Conflict, refused);
            Assert.Contains("paused", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            var (resumed, body) = await PostAsync("/groups/maint/resume", json: null); // the header instead of a body
            Assert.Equal(HttpStatusCode.OK, resumed);
            Assert.False(body.GetProperty("paused").GetBoolean());
        }
        var after = Assert.Single((await _silo.GetJsonAsync("/groups", Key)).GetProperty("groups").EnumerateArray());
        Assert.False(after.GetProperty("paused").GetBoolean());
        Assert.False(after.TryGetProperty("pausedUntil", out _));
    }

    [Theory]
    [InlineData("/groups/maint/pause?expiresAfterSeconds=soon", "{}", "expiresAfterSeconds")]
    [InlineData("/groups/maint/pause", """{"expiresAfterSeconds":0}""", "expiresAfterSeconds")]
    [InlineData("/groups/maint/pause?until=yesterday", "{}", "until")]
    [InlineData("/groups/maint/pause?until=2001-01-01T00:00:00Z", "{}", "until")]
    [InlineData("/groups/maint/pause?expiresAfterSeconds=60", """{"until":"2099-01-01T00:00:00Z"}""", "not both")]
    [InlineData("/groups/maint/pause", "{\"expiresAfterSeconds\":", "body")]
    public async Task Bad_input_is_a_400_naming_the_field_and_pauses_nothing(string path, string body, string named)
    {
        var (status, error) = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False((await _silo.GetJsonAsync("/groups/maint", Key)).GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Unknown_groups_are_404_and_a_form_post_is_403()
    {
        var (unknown, error) = await PostAsync("/groups/nosuch/pause");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("nosuch", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/groups/nosuch/resume")).Status);

        using var form = new HttpRequestMessage(HttpMethod.Post, "/groups/maint/pause") { Content = new FormUrlEncodedContent([]) };
        form.Headers.Add("X-Api-Key", Key);
        using var response = await _silo.Http.SendAsync(form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await _silo.GetJsonAsync("/groups/maint", Key)).GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task Ctl_pause_and_resume_print_a_line_or_json_and_exit_with_codes_scripts_can_use()
    {
        await _silo.PrimaryAsync(Key);
        var (code, line, error) = await CtlAsync("pause", "maint", "--expires-after", "900", "--url", Url, "--api-key", Key);
        try
        {
            Assert.True(code == CtlExit.Ok, error);
            Assert.StartsWith("group 'maint' paused until 20", line, StringComparison.Ordinal);
            Assert.True((await _silo.GetJsonAsync("/groups/maint", Key)).GetProperty("paused").GetBoolean());

            var (again, json, _) = await CtlAsync("pause", "maint", "--url", Url, "--api-key", Key, "--json");
            Assert.Equal(CtlExit.Ok, again);
            using (var doc = JsonDocument.Parse(json))
            {
                Assert.True(doc.RootElement.GetProperty("paused").GetBoolean());
                Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("until").ValueKind); // pausing again replaced the expiry
            }
        }
        finally
        {
            var (resumed, done, resumeError) = await CtlAsync("resume", "maint", "--url", Url, "--api-key", Key);
            Assert.True(resumed == CtlExit.Ok, resumeError);
            Assert.Equal("group 'maint' resumed", done.Trim());
        }
        Assert.False((await _silo.GetJsonAsync("/groups/maint", Key)).GetProperty("paused").GetBoolean());

        var (unknown, _, unknownError) = await CtlAsync("pause", "nosuch", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Refused, unknown);
        Assert.Contains("nosuch", unknownError, StringComparison.Ordinal);
        var (bad, _, badError) = await CtlAsync("pause", "maint", "--expires-after", "0", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Refused, bad);
        Assert.Contains("expiresAfterSeconds", badError, StringComparison.Ordinal);
        Assert.Equal(CtlExit.Unauthorized, (await CtlAsync("resume", "maint", "--url", Url)).Code);
        Assert.Equal(CtlExit.Usage, (await CtlAsync("pause")).Code);
    }

    [Fact]
    public async Task Ctl_help_describes_pause_and_resume()
    {
        var (_, help, _) = await CtlAsync("--help");
        Assert.Contains("pause <group>", help, StringComparison.Ordinal);
        Assert.Contains("resume <group>", help, StringComparison.Ordinal);
        var (code, pauseHelp, _) = await CtlAsync("pause", "--help");
        Assert.Equal(CtlExit.Ok, code);
        foreach (var word in new[] { "--expires-after", "--until", "--url", "--api-key", "--json", "heartbeat and vote" })
        {
            Assert.Contains(word, pauseHelp, StringComparison.Ordinal);
        }
    }
}
