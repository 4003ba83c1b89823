using KevyOrleans.Hosting;
using KevyOrleans.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Orleans' membership timings besides the probes: derived from the timings when unset, kept when set,
/// refused when they cannot work, and really set on the silo's <see cref="ClusterMembershipOptions"/>.
/// </summary>
public sealed class MembershipTimingsTests
{
    private static IReadOnlyList<string> Check(params (string Key, string Value)[] settings) =>
        SiloConfigurationCheck.Find(new ConfigurationBuilder().AddInMemoryCollection(Values(settings)).Build());

    private static Dictionary<string, string?> Values((string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Kevy:Groups:0:Name"] = "orders",
            ["Kevy:Groups:0:Peers"] = "n1@127.0.0.1:7001:6001,n2@127.0.0.1:7002:6002,n3@127.0.0.1:7003:6003",
            ["Kevy:Groups:0:Hosted"] = "n1,n2,n3",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        return values;
    }

    [Fact]
    public void Unset_timings_are_derived_from_the_lease_window_with_a_one_second_floor()
    {
        // Defaults: hb 200, down_after 5000: lease window 4600 ms.
        Assert.Equal(new MembershipTimingSettings(TimeSpan.FromMilliseconds(4600), TimeSpan.FromMilliseconds(4600), TimeSpan.FromMinutes(2), 2),
            MembershipTimings.Derive(new KevyElectionOptions()));
        var fast = new KevyElectionOptions();
        fast.Timings.HeartbeatMs = 100;
        fast.Timings.DownAfterMs = 1000; // lease window 800 ms: the table is still read and written at most once a second
        Assert.Equal(TimeSpan.FromSeconds(1), MembershipTimings.Derive(fast).TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), MembershipTimings.Derive(fast).IAmAlivePublishTimeout);
    }

    [Fact]
    public void An_operators_values_are_kept()
    {
        var kevy = new KevyElectionOptions();
        kevy.Clustering.TableRefreshTimeoutMs = 15000;
        kevy.Clustering.IAmAlivePublishMs = 20000;
        kevy.Clustering.DeathVoteExpirationMs = 60000;
        kevy.Clustering.VotesForDeath = 1;
        Assert.Equal(new MembershipTimingSettings(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1), 1), MembershipTimings.Derive(kevy));
        Assert.Empty(Check(("Kevy:Clustering:TableRefreshTimeoutMs", "15000"), ("Kevy:Clustering:IAmAlivePublishMs", "20000"),
            ("Kevy:Clustering:DeathVoteExpirationMs", "60000"), ("Kevy:Clustering:VotesForDeath", "1")));
    }

    [Theory]
    [InlineData("VotesForDeath", "4", "only 3 silos probe each silo")]
    [InlineData("VotesForDeath", "-1", "it must be 0 (Orleans' default, 2) to 3")]
    [InlineData("TableRefreshTimeoutMs", "-5", "it must be 0 (derived) or more")]
    [InlineData("IAmAlivePublishMs", "-1", "it must be 0 (derived) or more")]
    [InlineData("DeathVoteExpirationMs", "-1", "it must be 0 (derived) or more")]
    // The derived probes take (3 + 1) x 787 = 3148 ms: a vote that lasts 3000 ms expires before the others are cast.
    [InlineData("DeathVoteExpirationMs", "3000", "votes would expire before a dead silo can be declared dead: it must be longer than (MissedProbesLimit + 1) x ProbeTimeoutMs = 3148 ms")]
    public void Values_that_cannot_work_stop_the_silo_naming_the_key(string key, string value, string why)
    {
        var error = Assert.Single(Check(($"Kevy:Clustering:{key}", value)));
        Assert.Contains($"Kevy:Clustering:{key} is {value}", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silo_sets_every_derived_timing_on_orleans_membership()
    {
        string[] args =
        [
            $"--Kevy:Clustering:SiloPort={FreePort.Get()}", $"--Kevy:Clustering:GatewayPort={FreePort.Get()}",
            $"--Kevy:Storage:Path={Path.Combine(Path.GetTempPath(), $"kevy-{Guid.NewGuid():N}")}", "--Kevy:Gateway:Enabled=false",
            "--Kevy:Clustering:VotesForDeath=1",
        ];
        await using var app = SiloHost.Build([.. args, .. Values([]).Select(kv => $"--{kv.Key}={kv.Value}")]);
        var o = app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(787), o.ProbeTimeout);
        Assert.Equal(3, o.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(4600), o.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(4600), o.IAmAliveTablePublishTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), o.DeathVoteExpirationTimeout);
        Assert.Equal(1, o.NumVotesForDeathDeclaration);
    }
}
