using System.Text.Json;
using KevyOrleans.Silo.Ctl;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// <c>kevy-silo ctl</c> against a real silo with an API key: tables and <c>--json</c> for list and
/// history, a switchover that moves the primary, the key and URL from the environment, and the exit
/// codes for a refusal, a wrong key and a silo that is not there.
/// </summary>
public sealed class CtlTests(CtlSiloFixture fixture) : IClassFixture<CtlSiloFixture>
{
    private const string Key = CtlSiloFixture.ApiKey;
    private readonly AdminSilo _silo = fixture.Silo;

    private string Url => _silo.BaseAddress.ToString().TrimEnd('/');

    private static async Task<(int Code, string Output, string Error)> CtlAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CtlCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task List_prints_a_row_per_member_and_json_for_scripts()
    {
        var primary = await _silo.PrimaryAsync(Key);

        var (code, table, error) = await CtlAsync("list", "--url", Url, "--api-key", Key);
        Assert.True(code == CtlExit.Ok, error);
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["GROUP", "EPOCH", "PRIMARY", "MEMBER", "ROLE", "STATE", "OFFSET", "LAG", "SILO", "KIND"], rows[0]);
        var own = rows.Skip(1).Where(r => r[0] == "fleet").ToList();
        Assert.Equal(["n1", "n2", "w3"], own.Select(r => r[3]));
        Assert.All(own, r => Assert.Equal(primary, r[2]));
        Assert.Equal("primary", own.Single(r => r[3] == primary)[4]);
        Assert.Equal("0", own.Single(r => r[3] == primary)[7]); // no lag behind itself
        Assert.All(own, r => Assert.NotEqual("-", r[8])); // every member is hosted here, so each shows its silo
        Assert.Equal(["hosted", "witness"], own.Single(r => r[3] == "w3")[9..]);

        var (jsonCode, json, _) = await CtlAsync("list", "--url", Url, "--api-key", Key, "--json");
        Assert.Equal(CtlExit.Ok, jsonCode);
        using var doc = JsonDocument.Parse(json);
        var group = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(primary, group.GetProperty("primary").GetString());
        Assert.Equal(3, group.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task Switchover_moves_the_primary_and_history_shows_it_newest_first()
    {
        var primary = await _silo.PrimaryAsync(Key);
        var target = AdminSilo.OtherDataMember(primary);

        var (code, done, error) = await CtlAsync("switchover", "fleet", "--to", target, "--url", Url, "--api-key", Key, "--json");
        Assert.True(code == CtlExit.Ok, error);
        using (var outcome = JsonDocument.Parse(done))
        {
            Assert.Equal(target, outcome.RootElement.GetProperty("primary").GetString());
            Assert.Equal(primary, outcome.RootElement.GetProperty("previousPrimary").GetString());
        }

        var (historyCode, history, _) = await CtlAsync("history", "fleet", "--limit", "1", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Ok, historyCode);
        var lines = history.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("EPOCH", lines[0], StringComparison.Ordinal);
        Assert.Equal(target, Assert.Single(lines[1..]).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        var (refusedCode, _, refused) = await CtlAsync("switchover", "fleet", "--to", "w3", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Refused, refusedCode); // a witness cannot take over
        Assert.Contains("w3", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_url_and_key_come_from_the_environment_when_not_given()
    {
        Environment.SetEnvironmentVariable(CtlCommand.UrlVariable, Url);
        Environment.SetEnvironmentVariable(CtlCommand.ApiKeyVariable, Key);
        try
        {
            var (code, output, error) = await CtlAsync("history", "fleet", "--json");
            Assert.True(code == CtlExit.Ok, error);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal("fleet", doc.RootElement.GetProperty("name").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(CtlCommand.UrlVariable, null);
            Environment.SetEnvironmentVariable(CtlCommand.ApiKeyVariable, null);
        }
    }

    [Fact]
    public async Task Exit_codes_tell_a_refusal_a_wrong_key_and_an_absent_silo_apart()
    {
        var (unknown, _, unknownError) = await CtlAsync("history", "no-such-group", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Refused, unknown);
        Assert.Contains("no-such-group", unknownError, StringComparison.Ordinal);

        var (wrong, _, wrongError) = await CtlAsync("list", "--url", Url, "--api-key", "wrong-key-0123456789");
        Assert.Equal(CtlExit.Unauthorized, wrong);
        Assert.Contains("KEVY_API_KEY", wrongError, StringComparison.Ordinal);
        Assert.Equal(CtlExit.Unauthorized, (await CtlAsync("list", "--url", Url)).Code);

        var (absent, _, absentError) = await CtlAsync("list", "--url", $"http://127.0.0.1:{FreePort.Get()}", "--api-key", Key);
        Assert.Equal(CtlExit.Unreachable, absent);
        Assert.Contains("cannot reach the admin API", absentError, StringComparison.Ordinal);

        Assert.Equal(CtlExit.Usage, (await CtlAsync("list", "--url", "not a url")).Code);
        Assert.Equal(CtlExit.Usage, (await CtlAsync("history")).Code);
    }

    [Fact]
    public async Task Help_names_every_command_option_variable_and_exit_code()
    {
        var (code, help, _) = await CtlAsync("--help");
        Assert.Equal(CtlExit.Ok, code);
        foreach (var word in new[] { "kevy-silo ctl", "list", "history <group>", "switchover <group>", "--url", "--api-key", "--json",
                     CtlCommand.UrlVariable, CtlCommand.ApiKeyVariable, "2 refused", "3 silo unreachable", "4 API key" })
        {
            Assert.Contains(word, help, StringComparison.Ordinal);
        }
        var (_, switchoverHelp, _) = await CtlAsync("switchover", "--help");
        Assert.Contains("--to", switchoverHelp, StringComparison.Ordinal);
        var (_, historyHelp, _) = await CtlAsync("history", "--help");
        Assert.Contains("--limit", historyHelp, StringComparison.Ordinal);
    }
}
