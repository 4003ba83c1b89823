using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KevyOrleans.Silo.Ctl;
using KevyOrleans.Silo.Tests.Support;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Run-time groups through a real silo: <c>PUT /groups/{name}</c> adds a group that then elects and is
/// listed, <c>DELETE</c> removes it; every bad field is a 400 naming it with nothing stored; the file's
/// group is a 409; and <c>kevy-silo ctl groups add|remove</c> does the same from a shell.
/// </summary>
public sealed class RuntimeGroupApiTests(RuntimeGroupSiloFixture fixture) : IClassFixture<RuntimeGroupSiloFixture>
{
    private const string Key = RuntimeGroupSiloFixture.ApiKey;
    private readonly AdminSilo _silo = fixture.Silo;

    private string Url => _silo.BaseAddress.ToString().TrimEnd('/');

    private static string Peers() =>
        $"n1@127.0.0.1:{FreePort.Get()}:{FreePort.Get()},n2@127.0.0.1:{FreePort.Get()}:{FreePort.Get()},w3@127.0.0.1:{FreePort.Get()}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", Key);
        request.Headers.Add("X-Kevy-Request", "1");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await _silo.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(int Code, string Output, string Error)> CtlAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CtlCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string> PrimaryOf(string group)
    {
        string? primary = null;
        await Eventually.Until(async () =>
        {
            var detail = await _silo.GetJsonAsync($"/groups/{group}", Key);
            primary = detail.GetProperty("primary").GetString();
            return primary is not null;
        }, TimeSpan.FromSeconds(30), $"group {group} elects a primary");
        return primary!;
    }

    [Fact]
    public async Task Put_adds_a_group_that_elects_and_is_listed_and_delete_removes_it()
    {
        var (status, added) = await SendAsync(HttpMethod.Put, "/groups/added", new { members = Peers(), hosted = "n1,n2,w3", witnesses = "w3", kind = "redis" });
        Assert.True(status == HttpStatusCode.OK, added.ToString());
        Assert.Equal("added", added.GetProperty("name").GetString());
        await PrimaryOf("added");
        var names = (await _silo.GetJsonAsync("/groups", Key)).GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Contains("added", names);
        Assert.Contains(_silo.Group, names);

        var (changed, conflict) = await SendAsync(HttpMethod.Put, "/groups/added", new { members = Peers(), hosted = "n1,n2,w3", witnesses = "w3", kind = "redis" });
        Assert.Equal(HttpStatusCode.Conflict, changed);
        Assert.Contains("never change in place", conflict.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (removed, body) = await SendAsync(HttpMethod.Delete, "/groups/added");
        Assert.True(removed == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("removed").GetBoolean());
        Assert.DoesNotContain("added", (await _silo.GetJsonAsync("/groups", Key)).GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/groups/added")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/groups/added")).Status);
    }

    [Theory]
    [InlineData("members", "not a member list", "n1,n2,w3", "w3", "redis")]
    [InlineData("hosted", null, "n1,n9", "w3", "redis")]
    [InlineData("hosted", null, "n1,w3", "w3", "redis")]
    [InlineData("kind", null, "n1,n2,w3", "w3", "memcached")]
    [InlineData("witnesses", null, "n1,n2,w3", "n1", "redis")]
    public async Task Bad_input_is_a_400_naming_the_field_and_adds_nothing(string field, string? members, string hosted, string witnesses, string kind)
    {
        var (status, error) = await SendAsync(HttpMethod.Put, "/groups/broken", new { members = members ?? Peers(), hosted, witnesses, kind });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(field, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/groups/broken")).Status);
    }

    [Fact]
    public async Task The_configuration_files_group_is_not_changed_or_removed_through_the_api()
    {
        var (put, putError) = await SendAsync(HttpMethod.Put, $"/groups/{_silo.Group}", new { members = Peers(), hosted = "n1,n2,w3", witnesses = "w3", kind = "redis" });
        Assert.Equal(HttpStatusCode.Conflict, put);
        Assert.Contains("configuration file", putError.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Delete, $"/groups/{_silo.Group}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Put, "/groups/x", "not an object")).Status);
    }

    [Fact]
    public async Task Ctl_groups_add_and_remove()
    {
        var (code, line, error) = await CtlAsync("groups", "add", "shell", "--members", Peers(), "--hosted", "n1,n2,w3", "--witnesses", "w3", "--kind", "redis",
            "--url", Url, "--api-key", Key);
        Assert.True(code == CtlExit.Ok, error);
        Assert.StartsWith("group 'shell' added", line, StringComparison.Ordinal);
        await PrimaryOf("shell");

        var (bad, _, badError) = await CtlAsync("groups", "add", "shell2", "--members", Peers(), "--hosted", "n1,n9", "--url", Url, "--api-key", Key);
        Assert.Equal(CtlExit.Refused, bad);
        Assert.Contains("hosted", badError, StringComparison.Ordinal);
        Assert.Equal(CtlExit.Usage, (await CtlAsync("groups", "add", "shell3", "--url", Url, "--api-key", Key)).Code); // --members and --hosted are required

        var (removed, json, removeError) = await CtlAsync("groups", "remove", "shell", "--url", Url, "--api-key", Key, "--json");
        Assert.True(removed == CtlExit.Ok, removeError);
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.True(doc.RootElement.GetProperty("removed").GetBoolean());
        }
        Assert.Equal(CtlExit.Refused, (await CtlAsync("groups", "remove", "shell", "--url", Url, "--api-key", Key)).Code);

        var (_, help, _) = await CtlAsync("groups", "add", "--help");
        foreach (var word in new[] { "--members", "--hosted", "--witnesses", "--kind", "--json" })
        {
            Assert.Contains(word, help, StringComparison.Ordinal);
        }
        Assert.Contains("remove", (await CtlAsync("groups", "--help")).Output, StringComparison.Ordinal);
    }
}
