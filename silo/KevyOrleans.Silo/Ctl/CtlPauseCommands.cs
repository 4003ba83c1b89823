using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Ctl;

/// <summary><c>kevy-silo ctl pause &lt;group&gt; [--expires-after S | --until T]</c> and <c>ctl resume &lt;group&gt;</c>: maintenance mode.</summary>
internal static class CtlPauseCommands
{
    public static Command Pause(CtlCommand.Common common)
    {
        var group = new Argument<string>("group") { Description = "The group's name" };
        var expiresAfter = new Option<long?>("--expires-after")
        {
            Description = "End the pause by itself after this many seconds (1 to 31622400); default: only a resume ends it",
        };
        var until = new Option<DateTimeOffset?>("--until")
        {
            Description = "End the pause by itself at this time, e.g. 2026-12-02T08:00:00Z; not with --expires-after",
        };
        var pause = new Command("pause",
            "Maintenance mode: the group's hosted members start no candidacy, take no switchover and drive no data node "
            + "until resumed or the expiry; they still heartbeat and vote (external kevy members keep their own rules)")
        {
            group, expiresAfter, until,
        };
        pause.SetAction((parse, ct) => CtlCommand.RunOneAsync(parse, common, async client =>
        {
            var body = JsonSerializer.Serialize(new PauseRequest(parse.GetValue(expiresAfter), parse.GetValue(until)), AdminJson.Default.PauseRequest);
            var done = await client.PostAsync($"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(group))}/pause", body,
                AdminJson.Default.PauseStatus, ct).ConfigureAwait(false);
            await common.Output.WriteLineAsync(Show(parse.GetValue(common.Json), done)).ConfigureAwait(false);
        }));
        return pause;
    }

    public static Command Resume(CtlCommand.Common common)
    {
        var group = new Argument<string>("group") { Description = "The group's name" };
        var resume = new Command("resume", "Ends maintenance mode: automatic failover is back at once") { group };
        resume.SetAction((parse, ct) => CtlCommand.RunOneAsync(parse, common, async client =>
        {
            var done = await client.PostAsync($"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(group))}/resume", "{}",
                AdminJson.Default.PauseStatus, ct).ConfigureAwait(false);
            await common.Output.WriteLineAsync(Show(parse.GetValue(common.Json), done)).ConfigureAwait(false);
        }));
        return resume;
    }

    private static string Show(bool json, PauseStatus status) => json
        ? JsonSerializer.Serialize(status, AdminJson.Default.PauseStatus)
        : !status.Paused ? $"group '{status.Group}' resumed"
        : status.Until is { } u ? $"group '{status.Group}' paused until {u.ToString("u", CultureInfo.InvariantCulture)}"
        : $"group '{status.Group}' paused until resumed";
}
