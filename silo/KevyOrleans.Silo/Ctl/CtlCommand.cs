using System.CommandLine;
using System.CommandLine.Help;
using System.Text.Json;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Ctl;

/// <summary>
/// <c>kevy-silo ctl</c>: the admin API from a shell, in the spirit of <c>patronictl</c>. <c>list</c>,
/// <c>history</c>, <c>switchover</c>, <c>pause</c> and <c>resume</c>, each one HTTP call (list: one per group) to <c>--url</c>
/// (<c>KEVY_URL</c>) with <c>--api-key</c> (<c>KEVY_API_KEY</c>); tables for people, <c>--json</c>
/// for scripts, and exit codes scripts can act on (<see cref="CtlExit"/>).
/// </summary>
internal static class CtlCommand
{
    public const string UrlVariable = "KEVY_URL";
    public const string ApiKeyVariable = "KEVY_API_KEY";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60); // a switchover answers when it is over

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var url = new Option<string>("--url")
        {
            Description = $"The silo's admin URL (Kevy:Admin:Url). Default: ${UrlVariable}, else {DefaultUrl}",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } v ? v : DefaultUrl,
            Recursive = true,
        };
        url.Validators.Add(result =>
        {
            if (!IsHttpUrl(result.GetValueOrDefault<string>()))
            {
                result.AddError($"--url must be an http(s) URL such as {DefaultUrl}");
            }
        });
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"The admin API key (Kevy:Admin:ApiKey), sent as X-Api-Key. Default: ${ApiKeyVariable}",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable),
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the admin API's JSON instead of a table", Recursive = true };
        var group = new Argument<string>("group") { Description = "The group's name" };
        var limit = new Option<int?>("--limit") { Description = "Only the newest N elections (1 to 1000)" };
        var to = new Option<string?>("--to") { Description = "The member to hand over to; default: the best replica that is up" };

        var list = new Command("list", "Every group: epoch, primary, and each member's role, state, offset, lag, silo and kind");
        list.SetAction((parse, ct) => RunOneAsync(parse, url, apiKey, error, async client =>
        {
            var groups = await client.GetAsync("/groups", AdminJson.Default.GroupList, ct).ConfigureAwait(false);
            var details = await Task.WhenAll(groups.Groups.Select(g =>
                client.GetAsync($"/groups/{Uri.EscapeDataString(g.Name)}", AdminJson.Default.GroupDetail, ct))).ConfigureAwait(false);
            await output.WriteAsync(parse.GetValue(json)
                ? $"[{string.Join(",", details.Select(d => JsonSerializer.Serialize(d, AdminJson.Default.GroupDetail)))}]{Environment.NewLine}"
                : CtlOutput.Members(details)).ConfigureAwait(false);
        }));

        var history = new Command("history", "A group's elections, newest first") { group, limit };
        history.SetAction((parse, ct) => RunOneAsync(parse, url, apiKey, error, async client =>
        {
            var path = $"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(group))}/history{(parse.GetValue(limit) is { } n ? $"?limit={n}" : "")}";
            var elections = await client.GetAsync(path, AdminJson.Default.GroupHistory, ct).ConfigureAwait(false);
            await output.WriteAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(elections, AdminJson.Default.GroupHistory) + Environment.NewLine
                : CtlOutput.History(elections)).ConfigureAwait(false);
        }));

        var switchover = new Command("switchover", "A planned switchover; answers when the new primary won, or why it did not happen") { group, to };
        switchover.SetAction((parse, ct) => RunOneAsync(parse, url, apiKey, error, async client =>
        {
            var body = JsonSerializer.Serialize(new SwitchoverRequest(parse.GetValue(to)), AdminJson.Default.SwitchoverRequest);
            var done = await client.PostAsync($"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(group))}/switchover", body,
                AdminJson.Default.SwitchoverDone, ct).ConfigureAwait(false);
            await output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(done, AdminJson.Default.SwitchoverDone) : CtlOutput.Switchover(done))
                .ConfigureAwait(false);
        }));

        var common = new Common(url, apiKey, json, output, error);
        var ctl = new Command("ctl", $"The admin API of a running silo. Exit codes: {CtlExit.Ok} done, {CtlExit.Usage} usage, "
            + $"{CtlExit.Refused} refused by the silo, {CtlExit.Unreachable} silo unreachable or unavailable, {CtlExit.Unauthorized} API key missing or wrong.")
        {
            url, apiKey, json, list, history, switchover, CtlPauseCommands.Pause(common), CtlPauseCommands.Resume(common),
            CtlGroupCommands.Groups(common),
        };
        // Named as the executable is, whatever process runs it (tests run it in testhost).
        var root = new Command("kevy-silo", "A silo of kevy-compatible members (see silo/README.md)") { ctl, new HelpOption() };
        return await root.Parse(["ctl", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken)
            .ConfigureAwait(false);
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The options every command shares, and where it writes.</summary>
    internal sealed record Common(Option<string> Url, Option<string?> ApiKey, Option<bool> Json, TextWriter Output, TextWriter Error);

    internal static Task<int> RunOneAsync(ParseResult parse, Common common, Func<AdminClient, Task> run) =>
        RunOneAsync(parse, common.Url, common.ApiKey, common.Error, run);

    private static async Task<int> RunOneAsync(ParseResult parse, Option<string> url, Option<string?> apiKey, TextWriter error, Func<AdminClient, Task> run)
    {
        using var http = new HttpClient { BaseAddress = new Uri(parse.GetRequiredValue(url)), Timeout = RequestTimeout };
        try
        {
            await run(new AdminClient(http, parse.GetValue(apiKey))).ConfigureAwait(false);
            return CtlExit.Ok;
        }
        catch (CtlFailure failure)
        {
            await error.WriteLineAsync($"kevy-silo ctl: {failure.Message}").ConfigureAwait(false);
            return failure.ExitCode;
        }
    }
}
