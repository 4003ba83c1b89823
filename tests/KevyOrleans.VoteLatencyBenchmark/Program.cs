using System.Globalization;
using System.Text.Json.Nodes;
using KevyOrleans.Testing;
using KevyOrleans.VoteLatencyBenchmark;

// nice -n 19 dotnet run -c Release --project tests/KevyOrleans.VoteLatencyBenchmark -- [votes|flood|all] (see BenchmarkArguments)
if (BenchmarkArguments.Parse(args) is not { } arguments)
{
    Console.Error.WriteLine(BenchmarkArguments.Usage);
    return 2;
}
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
if (arguments.Votes && arguments.File)
{
    var directory = NewDirectory();
    var fileStore = new JsonObject { ["Provider"] = "File", ["Path"] = Path.Combine(directory, "data") };
    var result = await WithSiloAsync(directory, fileStore, new JsonObject(), (silo, group, candidate) =>
        VoteLatencyRun.RunAsync("File", silo, group, candidate, arguments.Warmup, arguments.Offers));
    // The disk alone, after the silo stopped, in the directory its state files were in.
    var inPlace = FsyncProbe.InPlace(Path.Combine(directory, "data"), arguments.FsyncSamples);
    var renamed = FsyncProbe.NewFileAndRename(Path.Combine(directory, "data"), arguments.FsyncSamples);
    var store = await FileStoreProbe.WriteAsync(Path.Combine(directory, "store-probe"), arguments.FsyncSamples);
    Report.Votes(result);
    Console.WriteLine($"  the file store alone (FileGrainStorage.WriteStateAsync, in process): {store}");
    Console.WriteLine($"  fsync, write + fsync of one 96-byte file:        {inPlace}");
    Console.WriteLine($"  fsync, new file + write + fsync + rename:        {renamed}");
    Console.WriteLine($"  file-store p50 minus one fsync p50:              {result.Total.P50 - inPlace.P50:0.00} ms");
    Delete(directory);
}
if (arguments.Votes && arguments.Azure)
{
    var azurite = new AzuriteFixture();
    try
    {
        await azurite.InitializeAsync();
        var directory = NewDirectory();
        var store = new JsonObject { ["Provider"] = "AzureTable", ["ConnectionString"] = azurite.ConnectionString };
        Report.Votes(await WithSiloAsync(directory, store, new JsonObject(), (silo, group, candidate) =>
            VoteLatencyRun.RunAsync("AzureTable (Azurite)", silo, group, candidate, arguments.Warmup, arguments.Offers)));
        Delete(directory);
    }
    finally
    {
        await azurite.DisposeAsync();
    }
}
if (arguments.Flood)
{
    var directory = NewDirectory();
    var store = new JsonObject { ["Provider"] = "File", ["Path"] = Path.Combine(directory, "data") };
    // The per-connection token bucket (default 200/s, burst 200) raised far above what a loopback flood reaches.
    var gateway = new JsonObject { ["MaxFramesPerSecond"] = Report.FloodFrameLimit, ["FrameBurst"] = Report.FloodFrameLimit };
    Report.Flood(await WithSiloAsync(directory, store, gateway, (silo, group, _) =>
        HeartbeatFlood.RunAsync(silo, group, TimeSpan.FromSeconds(arguments.Seconds), arguments.Connections)));
    Delete(directory);
}
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end");
return 0;

static string NewDirectory()
{
    var directory = Path.Combine(Path.GetTempPath(), $"kevy-vote-latency-{Guid.NewGuid():N}");
    Directory.CreateDirectory(directory);
    return directory;
}

static void Delete(string directory)
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
        // a temp directory: best effort
    }
}

// The external members listen before the silo starts, so its outbound links connect at their first try.
// A run that fails leaves no directory behind either (a successful one is deleted after its disk probes).
static async Task<T> WithSiloAsync<T>(string directory, JsonObject store, JsonObject gateway, Func<BenchmarkSilo, BenchmarkGroup, ExternalMember, Task<T>> run)
{
    try
    {
        var group = new BenchmarkGroup();
        await using var candidate = new ExternalMember(BenchmarkGroup.Candidate, group.CandidateElectPort);
        await using var other = new ExternalMember(BenchmarkGroup.OtherExternal, group.OtherElectPort);
        await using var silo = await BenchmarkSilo.StartAsync(directory, group, store, gateway);
        return await run(silo, group, candidate);
    }
    catch
    {
        Delete(directory);
        throw;
    }
}
