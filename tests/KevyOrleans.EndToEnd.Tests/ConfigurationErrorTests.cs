using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Each invalid value of the configuration contract stops the real silo process before it listens,
/// with one message that names the key and the bad value, and a non-zero exit code.
/// </summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private const string Peers = "n1@127.0.0.1:7001:6001,n2@127.0.0.1:7002:6002,w3@127.0.0.1:7003";
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("kevy-config-").FullName;

    public static TheoryData<string, string[], string[]> InvalidValues => new()
    {
        { "storage provider", ["--Kevy:Storage:Provider=Postgres"], ["Kevy:Storage:Provider", "'Postgres'"] },
        { "azure storage without account", ["--Kevy:Storage:Provider=AzureTable"], ["Kevy:Storage", "ConnectionString or ServiceUri"] },
        { "file storage without path", ["--Kevy:Storage:Path="], ["Kevy:Storage:Path"] },
        { "clustering provider", ["--Kevy:Clustering:Provider=Consul"], ["Kevy:Clustering:Provider", "'Consul'"] },
        { "silo port", ["--Kevy:Clustering:SiloPort=70000"], ["Kevy:Clustering:SiloPort", "70000"] },
        { "probe timeout", ["--Kevy:Clustering:ProbeTimeoutMs=-1"], ["Kevy:Clustering:ProbeTimeoutMs", "-1"] },
        { "gateway port equals silo port", ["--Kevy:Clustering:SiloPort=12000", "--Kevy:Clustering:GatewayPort=12000"], ["Kevy:Clustering:GatewayPort", "12000"] },
        { "heartbeat not a number", ["--Kevy:Timings:HeartbeatMs=fast"], ["Kevy:Timings:HeartbeatMs", "'fast'"] },
        { "heartbeat zero", ["--Kevy:Timings:HeartbeatMs=0"], ["HeartbeatMs", "0"] },
        { "down_after too short", ["--Kevy:Timings:DownAfterMs=100"], ["DownAfterMs", "100"] },
        { "election timeout", ["--Kevy:Timings:ElectionTimeoutMs=-1"], ["ElectionTimeoutMs", "-1"] },
        { "admin url", ["--Kevy:Admin:Url=nonsense"], ["Kevy:Admin:Url", "'nonsense'"] },
        { "gateway queue", ["--Kevy:Gateway:QueueCapacity=0"], ["Kevy:Gateway:QueueCapacity", "0"] },
        { "group name", Group("bad/name", Peers, "n1"), ["Kevy:Groups:0:Name", "bad/name"] },
        { "member list", Group("g", "n1@h", "n1"), ["Kevy:Groups:0:Peers", "n1@h"] },
        { "hosted not a member", Group("g", Peers, "n9"), ["Kevy:Groups:0:Hosted", "'n9'"] },
        { "witness sorts first", Group("g", "n1@127.0.0.1:7001:6001,n2@127.0.0.1:7002:6002,a0@127.0.0.1:7003", "n1", "a0"), ["Kevy:Groups:0:Witnesses", "'a0'"] },
        { "legacy entry for a data node", Group("g", "n1@127.0.0.1:7001,n2@127.0.0.1:7002:6002,w3@127.0.0.1:7003", "n1", "w3"), ["Kevy:Groups:0:Peers", "n1@127.0.0.1:7001"] },
        { "data node kind", [.. Group("g", Peers, "n1", "w3"), "--Kevy:Groups:0:DataNodes=mysql"], ["Kevy:Groups:0:DataNodes", "'mysql'"] },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task An_invalid_value_stops_the_silo_with_a_message_naming_it(string what, string[] args, string[] expected)
    {
        var (code, output) = await RunAsync(args);
        Assert.True(code != 0, $"{what}: exit code 0\n{output}");
        Assert.Contains("invalid configuration", output, StringComparison.Ordinal);
        foreach (var e in expected)
        {
            Assert.Contains(e, output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // a message, not a stack trace
    }

    /// <summary>Each value is valid alone; together with the rest they would lose votes, break every follow, or open the admin API.</summary>
    public static TheoryData<string, string[], string[]> UnsafeValues => new()
    {
        { "file votes in a multi-machine cluster", ["--Kevy:Clustering:Provider=AzureTable", "--Kevy:Clustering:ConnectionString=UseDevelopmentStorage=true"],
            ["Kevy:Storage:Provider is 'File' with Kevy:Clustering:Provider 'AzureTable'", "vote twice"] },
        { "kevy replication port beyond 65535", Group("g", "n1@127.0.0.1:7001:60001,n2@127.0.0.1:7002:6002,w3@127.0.0.1:7003", "n1", "w3"),
            ["Kevy:Groups:0:Peers: data member 'n1@127.0.0.1:7001:60001'", "70001"] },
        { "admin beyond loopback without a key", ["--Kevy:Admin:Url=http://0.0.0.0:8080"], ["Kevy:Admin:Url is 'http://0.0.0.0:8080'", "Kevy:Admin:ApiKey must be set"] },
    };

    [Theory]
    [MemberData(nameof(UnsafeValues))]
    public async Task An_unsafe_combination_stops_the_silo_with_exit_code_2_and_a_message_naming_it(string what, string[] args, string[] expected)
    {
        var (code, output) = await RunAsync(args);
        Assert.True(code == 2, $"{what}: exit code {code}\n{output}");
        Assert.Contains("invalid configuration", output, StringComparison.Ordinal);
        foreach (var e in expected)
        {
            Assert.Contains(e, output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_in_the_fleet_file_is_named_with_its_key()
    {
        var file = Path.Combine(_directory, "fleet.json");
        await File.WriteAllTextAsync(file, """{ "Kevy": { "Timings": { "DownAfterMs": "soon" } } }""");
        var (code, output) = await RunAsync(["--config", file]);
        Assert.NotEqual(0, code);
        Assert.Contains("Kevy:Timings:DownAfterMs", output, StringComparison.Ordinal);
        Assert.Contains("'soon'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_fleet_file_is_named_with_the_line_of_the_fault()
    {
        var file = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(file, "{\n  \"Kevy\": {\n    \"Timings\": { \"HeartbeatMs\": 200,, }\n}");
        var (code, output) = await RunAsync(["--config", file]);
        Assert.NotEqual(0, code);
        Assert.Contains("broken.json", output, StringComparison.Ordinal);
        Assert.Contains("line 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_fleet_file_is_named()
    {
        var (code, output) = await RunAsync(["--config", "nowhere.json"]);
        Assert.NotEqual(0, code);
        Assert.Contains("nowhere.json", output, StringComparison.Ordinal);
        Assert.Contains("no such file", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_environment_variable_is_named_with_its_key()
    {
        var (code, output) = await RunAsync([], ("Kevy__Timings__HeartbeatMs", "-5"));
        Assert.NotEqual(0, code);
        Assert.Contains("HeartbeatMs is -5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_admin_port_stops_the_silo_with_a_message()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, FreePort.Get());
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var (code, output) = await RunAsync([$"--Kevy:Admin:Url=http://127.0.0.1:{port}", $"--Kevy:Clustering:SiloPort={FreePort.Get()}",
            $"--Kevy:Clustering:GatewayPort={FreePort.Get()}", $"--Kevy:Storage:Path={Path.Combine(_directory, "data")}"]);
        Assert.NotEqual(0, code);
        Assert.Contains($"{port}", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Group(string name, string peers, string hosted, string? witnesses = null) =>
    [
        $"--Kevy:Groups:0:Name={name}", $"--Kevy:Groups:0:Peers={peers}", $"--Kevy:Groups:0:Hosted={hosted}",
        .. witnesses is null ? Array.Empty<string>() : [$"--Kevy:Groups:0:Witnesses={witnesses}"],
    ];

    private async Task<(int Code, string Output)> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        await using var silo = SiloProcess.Start(_directory, args, environment);
        var code = await silo.WaitForExitAsync(ExitBound);
        return (code, silo.Output());
    }
}
