using KevyOrleans.Hosting;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Rule 13 for the hosting: with several silos (AzureTable clustering), failure-detection settings that
/// cannot bring a dead silo's members back before the lease window ends stop the silo, naming the keys
/// and the bound; unset values are derived so the bound holds.
/// </summary>
public sealed class FailureDetectionCheckTests
{
    private static IReadOnlyList<string> Check(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Kevy:Clustering:Provider"] = "AzureTable",
            ["Kevy:Clustering:ConnectionString"] = "UseDevelopmentStorage=true",
            // Several silos need shared vote storage (the file store with AzureTable clustering is refused on its own).
            ["Kevy:Storage:Provider"] = "AzureTable",
            ["Kevy:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Kevy:Groups:0:Name"] = "orders",
            ["Kevy:Groups:0:Peers"] = "n1@127.0.0.1:7001:6001,n2@127.0.0.1:7002:6002,n3@127.0.0.1:7003:6003",
            ["Kevy:Groups:0:Hosted"] = "n1,n2,n3",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        return SiloConfigurationCheck.Find(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void Orleans_default_detection_is_refused_with_the_keys_and_the_bound()
    {
        // Orleans' own defaults: 5 s probes, 3 missed: (3 + 1) x 5000 + 1250 + 200 = 21450 ms against a 4600 ms lease window.
        var error = Assert.Single(Check(("Kevy:Clustering:ProbeTimeoutMs", "5000"), ("Kevy:Clustering:MissedProbesLimit", "3")));
        Assert.Contains("Kevy:Clustering:ProbeTimeoutMs = 5000", error, StringComparison.Ordinal);
        Assert.Contains("Kevy:Clustering:MissedProbesLimit = 3", error, StringComparison.Ordinal);
        Assert.Contains("Kevy:Timings:DownAfterMs = 5000", error, StringComparison.Ordinal);
        Assert.Contains("21450 ms exceeds DownAfterMs - 2 x HeartbeatMs = 4600 ms", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_values_are_derived_from_the_timings_and_pass()
    {
        Assert.Empty(Check());
        var kevy = new KevyElectionOptions();
        var derived = FailureDetection.Derive(kevy, 0, 0);
        // (4600 - 1250 - 200) / 4 = 787 ms.
        Assert.Equal(new FailureDetectionSettings(TimeSpan.FromMilliseconds(787), 3), derived);
        Assert.True(FailureDetection.TimeToReturn(derived, kevy) <= kevy.Timings.ToElectionTimings().LeaseWindow);
        // An operator's limit is kept and the timeout derived around it.
        Assert.Equal(new FailureDetectionSettings(TimeSpan.FromMilliseconds(1050), 2), FailureDetection.Derive(kevy, 0, 2));
    }

    [Fact]
    public void Values_just_inside_the_bound_pass_and_just_outside_fail()
    {
        // 4 x 787 + 1250 + 200 = 4598 <= 4600; 4 x 788 + 1450 = 4602 > 4600.
        Assert.Empty(Check(("Kevy:Clustering:ProbeTimeoutMs", "787")));
        Assert.Contains("4602 ms exceeds", Assert.Single(Check(("Kevy:Clustering:ProbeTimeoutMs", "788"))), StringComparison.Ordinal);
        // A faster supervisor leaves the probes more time.
        Assert.Empty(Check(("Kevy:Clustering:ProbeTimeoutMs", "900"), ("Kevy:SupervisorIntervalMs", "500")));
    }

    [Fact]
    public void A_lease_window_too_short_for_any_sane_probe_is_refused()
    {
        // (500 - 2 x 100) - 125 - 100 = 75 ms for four probes: 18 ms each.
        var error = Assert.Single(Check(("Kevy:Timings:HeartbeatMs", "100"), ("Kevy:Timings:DownAfterMs", "500"), ("Kevy:Timings:ElectionTimeoutMs", "400")));
        Assert.Contains("derived probe timeout would be 18 ms", error, StringComparison.Ordinal);
        Assert.Contains("Kevy:Timings:DownAfterMs = 500", error, StringComparison.Ordinal);
    }

    [Fact]
    public void One_localhost_silo_is_not_held_to_the_bound()
    {
        Assert.Empty(Check(("Kevy:Clustering:Provider", "Localhost"), ("Kevy:Clustering:ProbeTimeoutMs", "5000")));
    }
}
