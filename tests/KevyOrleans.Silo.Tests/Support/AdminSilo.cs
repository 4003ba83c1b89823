using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Silo;
using KevyOrleans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Silo.Tests.Support;

/// <summary>
/// The real silo executable's host (<see cref="SiloHost.Build"/>), in-process, on free loopback
/// ports, with one group of three hosted members: n1 and n2 with scripted data nodes, w3 a witness.
/// Timings are short (HB 100 ms, DOWN after 1 s). Each fixture names its own group, because
/// <see cref="ScriptedDataNodes"/> is shared by the whole test process.
/// </summary>
public sealed class AdminSilo : IAsyncDisposable
{
    public static readonly string[] Members = ["n1", "n2", "w3"];

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"kevy-admin-{Guid.NewGuid():N}");
    private readonly WebApplication _app;

    /// <param name="configure">More silo configuration, applied after the scripted data nodes (e.g. a log capture).</param>
    /// <param name="moreArgs">More command-line arguments, after the ones above (e.g. <c>--OTEL_...=</c> settings).</param>
    public AdminSilo(string group, string? apiKey = null, Action<ISiloBuilder>? configure = null, IEnumerable<string>? moreArgs = null)
    {
        Group = group;
        var port = FreePort.Get();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var args = new List<string>
        {
            $"--Kevy:Admin:Url={BaseAddress.ToString().TrimEnd('/')}",
            $"--Kevy:Clustering:SiloPort={FreePort.Get()}",
            $"--Kevy:Clustering:GatewayPort={FreePort.Get()}",
            $"--Kevy:Storage:Path={_data}",
            "--Kevy:Gateway:Enabled=false",
            "--Kevy:Timings:HeartbeatMs=100",
            "--Kevy:Timings:DownAfterMs=1000",
            "--Kevy:Timings:ElectionTimeoutMs=600",
            "--Kevy:Timings:BackoffMs=100",
            "--Kevy:Timings:BackoffJitterMs=200",
            $"--Kevy:Groups:0:Name={group}",
            $"--Kevy:Groups:0:Peers=n1@127.0.0.1:{FreePort.Get()}:{FreePort.Get()},n2@127.0.0.1:{FreePort.Get()}:{FreePort.Get()},w3@127.0.0.1:{FreePort.Get()}",
            "--Kevy:Groups:0:Hosted=n1,n2,w3",
            "--Kevy:Groups:0:Witnesses=w3",
            "--Kevy:Groups:0:DataNodes=redis",
        };
        if (apiKey is not null)
        {
            args.Add($"--Kevy:Admin:ApiKey={apiKey}");
        }
        args.AddRange(moreArgs ?? []);
        // Registered after AddKevyElection (and after any driver it adds with TryAdd), so it wins.
        _app = SiloHost.Build([.. args], silo =>
        {
            silo.Services.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>();
            configure?.Invoke(silo);
        });
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Group { get; }

    /// <summary>The file storage's directory (<c>Kevy:Storage:Path</c>), deleted on dispose.</summary>
    public string StoragePath => _data;

    public Uri BaseAddress { get; }

    /// <summary>No API key set: tests that need one add the header themselves.</summary>
    public HttpClient Http { get; }

    public WebApplication App => _app;

    public Task StartAsync() => _app.StartAsync();

    /// <summary>GET <paramref name="path"/> as JSON, failing the test with the body when the status is not 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        using var response = await Http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until the group reports a primary that is up; returns its id.</summary>
    public async Task<string> PrimaryAsync(string? apiKey = null, string? not = null)
    {
        string? primary = null;
        await Eventually.Until(async () =>
        {
            var detail = await GetJsonAsync($"/groups/{Group}", apiKey).ConfigureAwait(false);
            primary = detail.GetProperty("primary").GetString();
            return primary is not null && primary != not && detail.GetProperty("members").EnumerateArray()
                .Any(m => m.GetProperty("id").GetString() == primary && m.GetProperty("up").GetBoolean());
        }, TimeSpan.FromSeconds(20), $"group {Group} has a primary{(not is null ? $" other than {not}" : "")}").ConfigureAwait(false);
        return primary!;
    }

    /// <summary>The other member with a data node: for n1 n2, for anyone else n1 (w3 is the witness).</summary>
    public static string OtherDataMember(string member) => member == "n1" ? "n2" : "n1";

    /// <summary>Starts the silo and waits for a primary that is up: it, and the other member with a data node.</summary>
    public async Task<(string Primary, string Other)> StartWithPrimaryAsync()
    {
        await StartAsync().ConfigureAwait(false);
        var primary = await PrimaryAsync().ConfigureAwait(false);
        return (primary, OtherDataMember(primary));
    }

    /// <summary><c>POST /groups/{Group}/switchover</c> with <c>{"target": ...}</c> (<c>{}</c> for none): the status and the body as it came.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostSwitchoverAsync(string? target)
    {
        var json = target is null ? "{}" : JsonSerializer.Serialize(new Dictionary<string, string> { ["target"] = target });
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri($"/groups/{Group}/switchover", UriKind.Relative), content).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    /// <summary><c>POST /groups/{Group}/switchover</c> with <c>{"target": ...}</c> (<c>{}</c> for none): the status and the <c>error</c> field, if any.</summary>
    public async Task<(HttpStatusCode Status, string? Error)> SwitchoverAsync(string? target)
    {
        var (status, text) = await PostSwitchoverAsync(target).ConfigureAwait(false);
        using var body = JsonDocument.Parse(text);
        return (status, body.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            foreach (var member in Members)
            {
                ScriptedDataNodes.Get(Group, member).Alive = true;
                ScriptedDataNodes.Get(Group, member).FenceFails = false;
            }
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
    }
}
