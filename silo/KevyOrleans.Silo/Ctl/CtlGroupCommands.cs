using System.CommandLine;
using System.Text.Json;
using KevyOrleans.Silo.Admin;

namespace KevyOrleans.Silo.Ctl;

/// <summary><c>kevy-silo ctl groups add &lt;name&gt; --members ... --hosted ...</c> and <c>ctl groups remove &lt;name&gt;</c>: run-time groups.</summary>
internal static class CtlGroupCommands
{
    public static Command Groups(CtlCommand.Common common)
    {
        var groups = new Command("groups", "Groups managed at run time (kept in the cluster; the configuration file's groups are changed in the file)");
        groups.Subcommands.Add(Add(common));
        groups.Subcommands.Add(Remove(common));
        return groups;
    }

    private static Command Add(CtlCommand.Common common)
    {
        var name = new Argument<string>("name") { Description = "The new group's name" };
        var members = new Option<string>("--members")
        {
            Description = "kevy's member-list string, as Kevy:Groups:N:Peers: id@host:elect_port:client_port,...",
            Required = true,
        };
        var hosted = new Option<string>("--hosted") { Description = "Comma-separated ids this deployment runs (a run-time group hosts every member)", Required = true };
        var witnesses = new Option<string?>("--witnesses") { Description = "Comma-separated ids of the witnesses (voters without data)" };
        var kind = new Option<string?>("--kind") { Description = "How its data nodes are driven: kevy (default) or redis" };
        var add = new Command("add", "Adds a group on every silo without a restart, checked like the configuration file") { name, members, hosted, witnesses, kind };
        add.SetAction((parse, ct) => CtlCommand.RunOneAsync(parse, common, async client =>
        {
            var body = JsonSerializer.Serialize(new GroupPutRequest(parse.GetValue(members), parse.GetValue(hosted), parse.GetValue(witnesses), parse.GetValue(kind)),
                AdminJson.Default.GroupPutRequest);
            var done = await client.PutAsync($"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(name))}", body, AdminJson.Default.GroupPutDone, ct)
                .ConfigureAwait(false);
            await common.Output.WriteLineAsync(parse.GetValue(common.Json)
                ? JsonSerializer.Serialize(done, AdminJson.Default.GroupPutDone)
                : $"group '{done.Name}' added: members {done.Members}, hosted {done.Hosted}, kind {done.Kind}").ConfigureAwait(false);
        }));
        return add;
    }

    private static Command Remove(CtlCommand.Common common)
    {
        var name = new Argument<string>("name") { Description = "A group added at run time" };
        var remove = new Command("remove", "Removes a run-time group: its members stop on every silo; its data nodes are left as they are") { name };
        remove.SetAction((parse, ct) => CtlCommand.RunOneAsync(parse, common, async client =>
        {
            var done = await client.DeleteAsync($"/groups/{Uri.EscapeDataString(parse.GetRequiredValue(name))}", AdminJson.Default.GroupDeleted, ct)
                .ConfigureAwait(false);
            await common.Output.WriteLineAsync(parse.GetValue(common.Json)
                ? JsonSerializer.Serialize(done, AdminJson.Default.GroupDeleted)
                : $"group '{done.Name}' removed; its data nodes are left as they are").ConfigureAwait(false);
        }));
        return remove;
    }
}
