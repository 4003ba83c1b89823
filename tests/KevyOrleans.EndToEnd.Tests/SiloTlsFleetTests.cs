using System.Text.Json.Nodes;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;
using Xunit.Abstractions;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>
/// Three real kevy-silo processes clustered on Azurite with silo-to-silo TLS (<c>Kevy:SiloTls</c>), using a
/// certificate the test makes: the silos cluster, spread the group and elect over TLS; a silo with another
/// CA's certificate, or with TLS off, cannot join; a wrong certificate password stops a silo at start.
/// </summary>
public sealed class SiloTlsFleetTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly TimeSpan JoinFailureBound = TimeSpan.FromSeconds(120);
    private readonly SiloPki _pki = new();

    [Fact]
    public async Task Silos_with_the_fleets_certificate_cluster_and_elect_and_a_silo_without_it_cannot_join()
    {
        await using var fleet = await SiloFleet.StartAsync(azurite, 3, heartbeatMs: 200, downAfterMs: 5000, config =>
            config["Kevy"]!["SiloTls"] = new JsonObject
            {
                ["Enabled"] = true, ["CertificatePath"] = _pki.SiloPfxPath, ["CertificatePassword"] = SiloPki.Password, ["CaPath"] = _pki.CaPath,
            });
        var spread = await SiloFleet.WaitForAsync(fleet.Fleet.Admin, "/silos", j => SiloFleet.OneMemberPerSilo(j, 3), "/silos: three active silos with one member each");
        output.WriteLine($"over TLS: {string.Join(", ", spread.Select(kv => $"{kv.Key} on {kv.Value}"))}");
        var primary = await fleet.Fleet.WaitForWritablePrimaryAsync(SiloFleet.Bound);
        output.WriteLine($"elected over TLS: {primary.Id}");
        // Members on three silos heartbeat each other through the silos' TLS connections: every one is up.
        var group = await fleet.Fleet.Admin.TryGetGroupAsync(Fleet.GroupName);
        Assert.True(group is { } g && g.Members.All(m => m.Up), $"{group}");
        foreach (var silo in fleet.Silos)
        {
            Assert.Contains(silo.Process.Lines(), l => l.Contains("silo-to-silo TLS on", StringComparison.Ordinal));
        }

        // Another CA's certificate (it trusts the fleet's CA itself, so only the fleet's check can refuse it),
        // and TLS off (plain TCP to TLS listeners); both at once, as each takes Orleans' join attempt to give up.
        var intruder = fleet.StartSilo($"--Kevy:SiloTls:CertificatePath={_pki.IntruderPfxPath}");
        var plain = fleet.StartSilo("--Kevy:SiloTls:Enabled=false");
        await Task.WhenAll(AssertCannotJoinAsync(fleet, intruder, "another CA's certificate"), AssertCannotJoinAsync(fleet, plain, "TLS off"));
        Assert.Contains(fleet.Silos.Take(3).SelectMany(s => s.Process.Lines()), l => l.Contains("refused the certificate CN=intruder", StringComparison.Ordinal));

        var after = await fleet.Fleet.Admin.TryGetGroupAsync(Fleet.GroupName);
        Assert.True(after is { } a && a.Primary == primary.Id && a.Members.All(m => m.Up), $"the fleet after the refused silos: {after}");
        Assert.Single(await fleet.Fleet.Admin.GetHistoryAsync(Fleet.GroupName)); // the cold start's election only
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_silo_at_start_naming_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("kevy-tls-config-").FullName;
        try
        {
            await using var silo = SiloProcess.Start(directory, "--Kevy:SiloTls:Enabled=true", $"--Kevy:SiloTls:CertificatePath={_pki.SiloPfxPath}",
                "--Kevy:SiloTls:CertificatePassword=not-the-password", $"--Kevy:SiloTls:CaPath={_pki.CaPath}", $"--Kevy:Admin:Url=http://127.0.0.1:{FreePort.Get()}");
            var code = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var text = silo.Output();
            Assert.True(code == 2, $"exit code {code}\n{text}");
            Assert.Contains($"invalid configuration: Kevy:SiloTls:CertificatePath: '{_pki.SiloPfxPath}' cannot be loaded (is Kevy:SiloTls:CertificatePassword right?)", text, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>The silo never becomes an active member of the cluster and hosts nothing; it gives up and exits non-zero.</summary>
    private async Task AssertCannotJoinAsync(SiloFleet fleet, FleetSilo silo, string what)
    {
        var deadline = DateTime.UtcNow + JoinFailureBound;
        while (!silo.Process.HasExited)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: the silo still runs after {JoinFailureBound.TotalSeconds} s:\n{silo.Process.Tail()}");
            if (await fleet.Fleet.Admin.TryGetJsonAsync("/silos") is { } json)
            {
                Assert.DoesNotContain(SiloFleet.ActiveSilos(json), silo.Is);
            }
            await Task.Delay(200);
        }
        var code = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var why = silo.Process.Lines().Where(l => l.Contains("kevy-silo:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(6);
        output.WriteLine($"{what}: the silo exited with code {code}:\n{string.Join('\n', why)}");
        Assert.NotEqual(0, code);
    }
}
