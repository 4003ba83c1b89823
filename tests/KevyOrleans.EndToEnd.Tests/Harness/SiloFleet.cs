using System.Text.Json;
using System.Text.Json.Nodes;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>One more real silo of a multi-process fleet: its process, its admin API, its Orleans silo port.</summary>
public sealed record FleetSilo(SiloProcess Process, AdminApi Admin, int SiloPort)
{
    /// <summary>True when <paramref name="address"/> (as /silos and a member's status give it: host:port:generation) is this silo.</summary>
    public bool Is(string address) => address.Contains($":{SiloPort}:", StringComparison.Ordinal);
}

/// <summary>
/// Several real kevy-silo processes on one machine, sharing one <see cref="Fleet"/>'s file (its first silo
/// is <see cref="Fleet.Silo"/>): each further silo gets its own Orleans, gateway and admin ports. Clustered
/// and voting through Azure Table storage on Azurite.
/// </summary>
public sealed class SiloFleet : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<FleetSilo> _silos = [];

    private SiloFleet(Fleet fleet)
    {
        Fleet = fleet;
        _silos.Add(new FleetSilo(fleet.Silo!, fleet.Admin, fleet.SiloPort));
    }

    public Fleet Fleet { get; }

    /// <summary>Every silo started, the first included, dead ones too (their output survives them).</summary>
    public IReadOnlyList<FleetSilo> Silos => _silos;

    /// <summary>Every process of every silo, in start order: the vote journal reads them all.</summary>
    public IReadOnlyList<SiloProcess> Processes => [.. Fleet.Silos.Concat(_silos.Skip(1).Select(s => s.Process)).Distinct()];

    /// <summary>The first fleet's timings and Azure Table clustering and votes on <paramref name="azurite"/>, then <paramref name="adjust"/>.</summary>
    public static async Task<SiloFleet> StartAsync(AzuriteFixture azurite, int silos, int heartbeatMs, int downAfterMs, Action<JsonObject>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var fleet = await Fleet.StartAsync(3, config =>
        {
            var kevy = config["Kevy"]!.AsObject();
            kevy["Storage"] = new JsonObject { ["Provider"] = "AzureTable", ["ConnectionString"] = azurite.ConnectionString };
            var clustering = kevy["Clustering"]!.AsObject();
            clustering["Provider"] = "AzureTable";
            clustering["ConnectionString"] = azurite.ConnectionString;
            clustering["AdvertisedAddress"] = "127.0.0.1";
            clustering["ClusterId"] = $"fleet-e2e-{Guid.NewGuid():N}";
            kevy["Timings"] = new JsonObject
            {
                ["HeartbeatMs"] = heartbeatMs, ["DownAfterMs"] = downAfterMs, ["ElectionTimeoutMs"] = Math.Max(600, downAfterMs * 3 / 5),
                ["BackoffMs"] = heartbeatMs * 5, ["BackoffJitterMs"] = heartbeatMs * 5,
            };
            adjust?.Invoke(config);
        }).ConfigureAwait(false);
        var fleetOfSilos = new SiloFleet(fleet);
        try
        {
            for (var i = 1; i < silos; i++)
            {
                await fleetOfSilos.AddAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            await fleetOfSilos.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return fleetOfSilos;
    }

    /// <summary>Lines about silos that failed to join and were started again (see <see cref="AddAsync"/>).</summary>
    public List<string> FailedJoins { get; } = [];

    /// <summary>
    /// Starts one more silo with the fleet file and <paramref name="args"/>, and waits until it serves. On this
    /// shared 2-core machine (load averages of 40-60 seen) Orleans sometimes ends a joining silo (fail-fast, exit
    /// code 134) before it serves; such a silo is started once more, and the failure recorded in <see cref="FailedJoins"/>.
    /// </summary>
    public async Task<FleetSilo> AddAsync(params string[] args)
    {
        var silo = StartSilo(args);
        try
        {
            await silo.Admin.WaitUntilHealthyAsync(silo.Process, Bound).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (silo.Process.HasExited)
        {
            FailedJoins.Add($"a joining silo exited with code {silo.Process.ExitCode}: {e.Message.Split('\n')[0]}");
            silo = StartSilo(args);
            await silo.Admin.WaitUntilHealthyAsync(silo.Process, Bound).ConfigureAwait(false);
        }
        return silo;
    }

    /// <summary>Starts one more silo without waiting for it.</summary>
    public FleetSilo StartSilo(params string[] args) => StartSilo(FreePort.Get(), args);

    /// <summary>Starts a silo on <paramref name="siloPort"/> (again, for a restart) without waiting for it.</summary>
    public FleetSilo StartSilo(int siloPort, params string[] args)
    {
        var adminPort = FreePort.Get();
        var process = SiloProcess.Start(Fleet.Directory, ["--config", Fleet.ConfigFile, $"--Kevy:Clustering:SiloPort={siloPort}",
            $"--Kevy:Clustering:GatewayPort={FreePort.Get()}", $"--Kevy:Admin:Url=http://127.0.0.1:{adminPort}", .. args]);
        var silo = new FleetSilo(process, new AdminApi(new Uri($"http://127.0.0.1:{adminPort}")), siloPort);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>A live silo's admin API, other than those of <paramref name="not"/>.</summary>
    public AdminApi AnyAdmin(params FleetSilo[] not) => _silos.First(s => !s.Process.HasExited && !not.Contains(s)).Admin;

    /// <summary>
    /// As <see cref="Fleet.WaitForWritablePrimaryAsync"/>, asking any live silo (the first may be gone): one primary
    /// every hosted member knows, writable.
    /// </summary>
    public async Task<DataNode> WaitForWritablePrimaryAsync(string? otherThan = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var status = await AnyAdmin().TryGetGroupAsync(Fleet.GroupName).ConfigureAwait(false);
            if (status is { Primary: { } p } && p != otherThan && status.AllHostedKnow(p) && Fleet[p] is { Redis.IsRunning: true } node
                && await node.TryWriteAsync($"probe:{Guid.NewGuid():N}", "x", TimeSpan.FromMilliseconds(500)).ConfigureAwait(false))
            {
                return node;
            }
            last = status?.ToString() ?? "(no status)";
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"no writable primary{(otherThan is null ? "" : $" other than {otherThan}")} within {Bound.TotalSeconds} s; last status: {last}");
    }

    /// <summary>Polls <paramref name="path"/> on <paramref name="admin"/> until <paramref name="probe"/> finds what it wants; throws after <see cref="Bound"/>.</summary>
    public static async Task<T> WaitForAsync<T>(AdminApi admin, string path, Func<JsonElement, T?> probe, string what) where T : class
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTime.UtcNow + Bound;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await admin.TryGetJsonAsync(path).ConfigureAwait(false);
            if (last is { } json && probe(json) is { } found)
            {
                return found;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        throw new TimeoutException($"{what}: not within {Bound.TotalSeconds} s; last {path}: {last}");
    }

    /// <summary>member -> silo address when /silos shows <paramref name="silos"/> active silos with exactly one member each; null otherwise.</summary>
    public static Dictionary<string, string>? OneMemberPerSilo(JsonElement json, int silos)
    {
        var active = json.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "active").ToList();
        if (active.Count != silos || active.Any(s => s.GetProperty("members").GetArrayLength() > 1) || active.Sum(s => s.GetProperty("members").GetArrayLength()) != 3)
        {
            return null;
        }
        return active.Where(s => s.GetProperty("members").GetArrayLength() == 1)
            .ToDictionary(s => s.GetProperty("members")[0].GetString()!.Split('/')[1], s => s.GetProperty("address").GetString()!);
    }

    /// <summary>The addresses of the active silos in /silos.</summary>
    public static IReadOnlyList<string> ActiveSilos(JsonElement json) =>
        [.. json.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "active").Select(s => s.GetProperty("address").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Skip(1))
        {
            await silo.Process.DisposeAsync().ConfigureAwait(false);
            silo.Admin.Dispose();
        }
        await Fleet.DisposeAsync().ConfigureAwait(false);
    }
}
