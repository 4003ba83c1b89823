using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KevyOrleans.Silo.Tests;

/// <summary>The status page in headless Chromium, against a real silo, through a failover: the detail of its one group, with its pictures.</summary>
public sealed class StatusPageTests(StatusPageSiloFixture fixture, ITestOutputHelper output) : IClassFixture<StatusPageSiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly AdminSilo _silo = fixture.Silo;

    [Fact]
    public async Task The_page_follows_a_failover_without_a_reload()
    {
        var primary = await _silo.PrimaryAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(_silo.BaseAddress.ToString());

        // The only group is the first listed, so the detail shows it without a click.
        var group = page.Locator("#detail [data-group='orders']");
        var shownPrimary = group.Locator("[data-field='primary']");
        await Eventually.Until(async () => await shownPrimary.CountAsync() == 1 && await shownPrimary.TextContentAsync() == primary,
            Patience, $"the page shows primary {primary}");
        Assert.Equal(3, await group.Locator("tr[data-member]").CountAsync());
        Assert.Equal("primary", await group.Locator($"tr[data-member='{primary}'] [data-field='role']").TextContentAsync());
        Assert.Equal("witness", await group.Locator("tr[data-member='w3'] [data-field='witness']").TextContentAsync());
        Assert.Equal("hosted", await group.Locator("tr[data-member='n1'] [data-field='hosted']").TextContentAsync());
        Assert.StartsWith("S127.0.0.1:", await group.Locator("tr[data-member='n1'] [data-field='silo']").TextContentAsync(), StringComparison.Ordinal);
        await Eventually.Until(async () => await group.Locator("[data-field='history'] li").CountAsync() >= 1,
            Patience, "the page shows the election history");

        // The primary's data node dies: its member stops heartbeating and the others elect a new primary.
        ScriptedDataNodes.Get(_silo.Group, primary).Alive = false;
        string? next = null;
        try
        {
            // Longer than the other waits: on a loaded CI machine the failover itself has to happen first.
            await Eventually.Until(async () =>
            {
                next = await shownPrimary.TextContentAsync();
                return next is not null && next != primary && next != "NONE";
            }, 2 * Patience, $"the page shows a primary other than {primary}, without a reload");
        }
        catch (Xunit.Sdk.XunitException)
        {
            // Say whether the election or the page lagged: what the API reports right now.
            var api = await _silo.GetJsonAsync($"/groups/{_silo.Group}");
            throw new Xunit.Sdk.XunitException($"the page still shows {next}; the API says: {api}; page errors: {string.Join("; ", errors)}");
        }
        output.WriteLine($"primary {primary} -> {next}");

        // The old primary is shown down, and the new election is at the top of the history.
        await Eventually.Until(async () =>
            await group.Locator($"tr[data-member='{primary}']").GetAttributeAsync("data-up") == "false"
            && await group.Locator("[data-field='history'] li").First.GetAttributeAsync("data-primary") == next,
            Patience, $"{primary} shown down and {next}'s election at the top of the history");

        // The API says why: its data node is silent, and the group has not heard it for longer than down_after.
        // Its vote in the election may still be its latest frame, so wait for the silence to show.
        await Eventually.Until(async () =>
        {
            var old = (await _silo.GetJsonAsync($"/groups/{_silo.Group}")).GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == primary);
            Assert.False(old.GetProperty("up").GetBoolean());
            Assert.False(old.GetProperty("dataNodeHealthy").GetBoolean());
            return old.GetProperty("lastSeenMsAgo").GetInt64() > 500;
        }, Patience, $"{primary} not heard for more than 500 ms (it is silent)");
        Assert.Equal("false", await group.Locator($"tr[data-member='{primary}']").GetAttributeAsync("data-up"));

        // The pictures: both elections on the time line, the newest marked; the old primary's heartbeat lag
        // drawn from the samples, its last one beyond half a second (it is silent).
        await Eventually.Until(async () =>
            await group.Locator("[data-field='timeline'] g[data-epoch]").CountAsync() >= 2
            && await group.Locator("[data-field='timeline'] g[data-epoch]").First.GetAttributeAsync("data-primary") == next
            && await group.Locator("[data-field='timeline'] circle.newest").CountAsync() == 1,
            Patience, "the time line shows both elections, the newest first and marked");
        var oldHeartbeat = group.Locator($"tr[data-member='{primary}'] [data-field='hb-spark']");
        await Eventually.Until(async () => int.Parse(await oldHeartbeat.GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 3,
            Patience, $"3 or more heartbeat-lag samples of {primary}");
        Assert.True(await oldHeartbeat.Locator("polyline").CountAsync() >= 1);
        // The newest sample is the one of the page's last refresh: on a loaded machine that may still be one
        // taken soon after the kill, so wait for a refresh that shows the silence.
        var lastLag = "";
        await Eventually.Until(async () =>
        {
            lastLag = (await oldHeartbeat.Locator("span.num").TextContentAsync())!.Trim();
            return lastLag.EndsWith(" ms", StringComparison.Ordinal) && long.Parse(lastLag[..^3], System.Globalization.CultureInfo.InvariantCulture) > 500;
        }, Patience, $"{primary}'s last heartbeat lag beyond 500 ms (it is silent)");
        Assert.Equal(1, await group.Locator($"tr[data-member='{next}'] [data-field='repl-spark']").CountAsync());
        Assert.Equal(0, await group.Locator("tr[data-member='w3'] [data-field='repl-spark']").CountAsync());

        var screenshot = Chromium.ScreenshotPath("status-page-after-failover.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        Assert.Empty(errors);
    }
}
