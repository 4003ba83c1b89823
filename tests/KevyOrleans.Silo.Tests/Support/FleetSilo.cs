using System.Text.Json;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace KevyOrleans.Silo.Tests.Support;

/// <summary>
/// The real silo host with <see cref="Count"/> groups <c>f0000</c>... of three hosted members each (n1, n2 with
/// scripted data nodes, w3 a witness), every grain call counted (<see cref="Calls"/>). Slow timings (HB 5 s,
/// down after 30 s) keep 3,000 members cheap on a small machine shared with other tests; the fleet view's cost does not depend on them.
/// Three groups are in trouble from the start: <see cref="Degraded"/> lack one data node each (one of them
/// its first primary choice), <see cref="NoPrimary"/> both.
/// </summary>
public sealed class FleetSiloFixture : IAsyncLifetime
{
    public const int Count = 1000;
    public static readonly string[] Degraded = ["f0123", "f0456"];
    public const string NoPrimary = "f0789";

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"kevy-fleet-{Guid.NewGuid():N}");
    private readonly WebApplication _app;

    public FleetSiloFixture()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Get()}");
        var args = new List<string>
        {
            $"--Kevy:Admin:Url={BaseAddress.ToString().TrimEnd('/')}",
            $"--Kevy:Clustering:SiloPort={FreePort.Get()}",
            $"--Kevy:Clustering:GatewayPort={FreePort.Get()}",
            $"--Kevy:Storage:Path={_data}",
            "--Kevy:Gateway:Enabled=false",
            "--Kevy:Timings:HeartbeatMs=5000",
            "--Kevy:Timings:DownAfterMs=30000",
            "--Kevy:Timings:ElectionTimeoutMs=8000",
            "--Kevy:Timings:BackoffMs=500",
            "--Kevy:Timings:BackoffJitterMs=4000",
        };
        for (var i = 0; i < Count; i++)
        {
            // Nothing listens on these ports: every member is hosted, the gateway is off, the data nodes are scripted.
            var port = 20000 + (5 * i);
            args.Add($"--Kevy:Groups:{i}:Name={Name(i)}");
            args.Add($"--Kevy:Groups:{i}:Peers=n1@127.0.0.1:{port}:{port + 1},n2@127.0.0.1:{port + 2}:{port + 3},w3@127.0.0.1:{port + 4}");
            args.Add($"--Kevy:Groups:{i}:Hosted=n1,n2,w3");
            args.Add($"--Kevy:Groups:{i}:Witnesses=w3");
            args.Add($"--Kevy:Groups:{i}:DataNodes=redis");
        }
        _app = SiloHost.Build([.. args], silo =>
        {
            silo.Services.AddSingleton<IDataNodeFactory, ScriptedDataNodeFactory>();
            silo.AddIncomingGrainCallFilter(Calls);
        });
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public GrainCallCounter Calls { get; } = new();

    public static string Name(int i) => $"f{i:D4}";

    public async Task InitializeAsync()
    {
        ScriptedDataNodes.Get(Degraded[0], "n2").Alive = false;
        ScriptedDataNodes.Get(Degraded[1], "n1").Alive = false;
        ScriptedDataNodes.Get(NoPrimary, "n1").Alive = false;
        ScriptedDataNodes.Get(NoPrimary, "n2").Alive = false;
        await _app.StartAsync().ConfigureAwait(false);
        // Every other group has elected a primary and every member is up: a cold start of 3,000 members.
        var last = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while (true)
        {
            var summary = (await GetJsonAsync("/fleet?pageSize=1").ConfigureAwait(false)).GetProperty("summary");
            last = summary.ToString();
            if (summary.GetProperty("healthy").GetInt32() == Count - 3 && summary.GetProperty("degraded").GetInt32() == 2
                && summary.GetProperty("noPrimary").GetInt32() == 1)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not within 8 min: {Count - 3} groups healthy, 2 degraded, 1 without primary; last: {last}");
            await Task.Delay(1000).ConfigureAwait(false);
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            foreach (var (group, member) in new[] { (Degraded[0], "n2"), (Degraded[1], "n1"), (NoPrimary, "n1"), (NoPrimary, "n2") })
            {
                ScriptedDataNodes.Get(group, member).Alive = true;
            }
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
    }
}
