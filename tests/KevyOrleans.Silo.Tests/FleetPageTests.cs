using System.Diagnostics;
using KevyOrleans.Silo.Admin;
using KevyOrleans.Silo.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The fleet view with 1,000 groups of three hosted members on one real silo: what one refresh costs
/// (HTTP requests and grain calls, counted, before and after), and the status page in headless Chromium:
/// worst first, search, state filter, paging, one request per refresh, the detail with its pictures.
/// Its 3,000 members run alone, after the other classes of this assembly (<see cref="FleetCollection"/>).
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetPageTests(FleetSiloFixture fleet, ITestOutputHelper output) : IClassFixture<FleetSiloFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Overview = "IGroupGrain.GetOverview";
    private const string GroupStatus = "IGroupGrain.GetStatus";
    private const string History = "IGroupGrain.GetHistory";
    private const string MemberStatus = "IMemberGrain.GetStatus";

    [Fact]
    public async Task One_refresh_of_a_thousand_groups_is_one_request_and_one_group_call_per_group()
    {
        const int G = FleetSiloFixture.Count;
        await Task.Delay(FleetView.MaxAge * 2); // nothing shared left: this request gathers

        var before = fleet.Calls.Snapshot();
        var clock = Stopwatch.StartNew();
        var answer = await fleet.GetJsonAsync("/fleet");
        var fleetMs = clock.Elapsed.TotalMilliseconds;
        var after = fleet.Calls.Snapshot();
        Assert.Equal(G, answer.GetProperty("summary").GetProperty("groups").GetInt32());
        Assert.Equal(G, GrainCallCounter.Between(before, after, Overview));
        Assert.Equal(0, GrainCallCounter.Between(before, after, GroupStatus) + GrainCallCounter.Between(before, after, History));
        var fleetMembers = GrainCallCounter.Between(before, after, MemberStatus);
        Assert.Equal(3 * G, fleetMembers); // inside the group grains: each asks its three hosted members

        // What the page did before the fleet view: GET /groups, then per group its detail and its history.
        before = fleet.Calls.Snapshot();
        clock.Restart();
        var names = (await fleet.GetJsonAsync("/groups")).GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList();
        using (var browserLike = new SemaphoreSlim(6)) // a browser's connections per host
        {
            await Task.WhenAll(names.SelectMany(n => new[] { $"/groups/{n}", $"/groups/{n}/history?limit=10" }).Select(async path =>
            {
                await browserLike.WaitAsync();
                try
                {
                    await fleet.GetJsonAsync(path);
                }
                finally
                {
                    browserLike.Release();
                }
            }));
        }
        var oldMs = clock.Elapsed.TotalMilliseconds;
        after = fleet.Calls.Snapshot();
        var oldGroups = GrainCallCounter.Between(before, after, GroupStatus) + GrainCallCounter.Between(before, after, History);
        var oldMembers = GrainCallCounter.Between(before, after, MemberStatus);
        Assert.Equal(3 * G, oldGroups);

        output.WriteLine($"one refresh of the status page with {G} groups of 3 hosted members (one silo, this machine):");
        output.WriteLine($"  before (1 + 2 x groups requests): {1 + (2 * G)} HTTP requests, {oldGroups} group-grain calls, {oldMembers} member-grain calls, {oldMs:F0} ms");
        output.WriteLine($"  GET /fleet:                       1 HTTP request, {G} group-grain calls, {fleetMembers} member-grain calls, {fleetMs:F0} ms (shared by every request within {FleetView.MaxAge.TotalSeconds:0} s)");
    }

    [Fact]
    public async Task The_page_shows_a_thousand_groups_worst_first_with_search_filter_and_paging()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var errors = new List<string>();
        var requests = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Request += (_, r) => { lock (requests) { requests.Add(new Uri(r.Url).PathAndQuery); } };
        await page.GotoAsync(fleet.BaseAddress.ToString());

        var rows = page.Locator("#fleet-rows tr[data-group]");
        await Eventually.Until(async () => await Text(page, "#summary [data-field='groups']") == "1000"
            && await Text(page, "#summary [data-field='healthy']") == "997" && await rows.CountAsync() == 50,
            Patience, "the summary counts 1000 groups, 997 healthy, and 50 are listed");
        Assert.Equal("1", await Text(page, "#summary [data-field='noprimary']"));
        Assert.Equal("2", await Text(page, "#summary [data-field='degraded']"));
        Assert.Equal("page 1 of 20", await Text(page, "#page-info"));
        // Worst first: the group without primary, then the degraded ones, then the healthy ones by name.
        var firstNames = await Names(rows, 4);
        var firstStates = await Attribute(rows, "data-state", 4);
        Assert.Equal([FleetSiloFixture.NoPrimary, .. FleetSiloFixture.Degraded, "f0000"], firstNames);
        Assert.Equal(["noprimary", "degraded", "degraded", "healthy"], firstStates);
        // Nothing chosen: the detail shows the first group listed.
        await Eventually.Until(async () => await page.Locator($"#detail [data-group='{FleetSiloFixture.NoPrimary}']").CountAsync() == 1,
            Patience, "the detail shows the group without primary");
        Assert.Equal("NONE", await Text(page, "#detail [data-field='primary']"));
        await Shot(page, "fleet-1000-groups.png");

        await page.FillAsync("#search", "F09");
        await Eventually.Until(async () => await Text(page, "#matched") == "100 of 1000 groups" && await Text(page, "#page-info") == "page 1 of 2",
            Patience, "the search finds the 100 groups f09..");
        Assert.All(await Names(rows, 50), n => Assert.StartsWith("f09", n, StringComparison.Ordinal));
        await page.ClickAsync("#next");
        await Eventually.Until(async () => await Text(page, "#page-info") == "page 2 of 2" && (await Names(rows, 1))[0] == "f0950",
            Patience, "page 2 starts at f0950");

        await page.FillAsync("#search", "");
        await page.SelectOptionAsync("#state", "degraded");
        await Eventually.Until(async () => await Text(page, "#matched") == "2 of 1000 groups" && await rows.CountAsync() == 2,
            Patience, "the state filter lists the 2 degraded groups");
        var degraded = await Names(rows, 2);
        Assert.Equal(FleetSiloFixture.Degraded, degraded);

        // Choose one: its detail, with the time line of its elections and its members' lag sparklines.
        var chosen = FleetSiloFixture.Degraded[0];
        await rows.First.ClickAsync();
        var detail = page.Locator($"#detail [data-group='{chosen}']");
        await Eventually.Until(async () => await detail.CountAsync() == 1
            && await detail.Locator("[data-field='timeline'] g[data-epoch]").CountAsync() >= 1
            && int.Parse(await detail.Locator("tr[data-member='w3'] [data-field='hb-spark']").GetAttributeAsync("data-samples") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 3,
            Patience, $"the detail of {chosen} draws its elections and 3 or more heartbeat-lag samples");
        Assert.Equal("false", await detail.Locator("tr[data-member='n2']").GetAttributeAsync("data-up"));
        Assert.True(await detail.Locator("tr[data-member='w3'] [data-field='hb-spark'] polyline").CountAsync() >= 1);
        await Shot(page, "fleet-detail.png");

        // One request per refresh, whatever was clicked: the page asks /fleet and nothing per group.
        string[] api;
        lock (requests)
        {
            api = [.. requests.Where(r => r is not "/" and not "/favicon.ico")];
        }
        output.WriteLine($"{api.Length} requests, e.g. {api[^1]}");
        Assert.All(api, r => Assert.StartsWith("/fleet?", r, StringComparison.Ordinal));
        Assert.Contains(api, r => r.Contains($"group={chosen}", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    private static async Task<string?> Text(IPage page, string selector) => await page.Locator(selector).First.TextContentAsync();

    private static async Task<string[]> Names(ILocator rows, int n) => await Attribute(rows, "data-group", n);

    private static async Task<string[]> Attribute(ILocator rows, string name, int n)
    {
        var values = new string[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = await rows.Nth(i).GetAttributeAsync(name) ?? "";
        }
        return values;
    }

    private async Task Shot(IPage page, string name)
    {
        var path = Chromium.ScreenshotPath(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}

/// <summary>Not in parallel with the other test classes: 3,000 members would starve their short timings, and theirs these.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FleetCollection
{
    public const string Name = "fleet of 1000 groups";
}
