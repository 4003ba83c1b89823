using System.Globalization;

namespace KevyOrleans.Hosting;

/// <summary>
/// Orleans' membership timings besides the probes (<see cref="FailureDetectionSettings"/>), as the silo
/// sets them on <c>ClusterMembershipOptions</c>.
/// </summary>
/// <param name="TableRefreshTimeout">TableRefreshTimeout: how often a silo re-reads the membership table, which repairs a missed death gossip.</param>
/// <param name="IAmAlivePublishTimeout">IAmAliveTablePublishTimeout: how often a silo writes that it is alive; a silo silent for two of these no longer counts when votes are needed.</param>
/// <param name="DeathVoteExpiration">DeathVoteExpirationTimeout: how long a suspicion vote counts.</param>
/// <param name="VotesForDeath">NumVotesForDeathDeclaration: the votes that declare a silo dead (Orleans asks at most half the live silos).</param>
public readonly record struct MembershipTimingSettings(TimeSpan TableRefreshTimeout, TimeSpan IAmAlivePublishTimeout, TimeSpan DeathVoteExpiration, int VotesForDeath);

/// <summary>
/// Derives and checks the membership timings of <c>Kevy:Clustering</c> (item "failure detection that fits
/// the election"): unset values (0) are derived from the timings, operators may override each, and values
/// that cannot work are configuration errors.
/// <list type="bullet">
/// <item>TableRefreshTimeoutMs: derived = the lease window (DownAfterMs - 2 x HeartbeatMs), at least 1 s: a
/// silo that missed the gossip of a death reads it within one lease window (Orleans' default: 60 s).</item>
/// <item>IAmAlivePublishMs: derived = the lease window, at least 1 s (Orleans' default: 30 s).</item>
/// <item>DeathVoteExpirationMs: default = Orleans' 120 s; must be longer than the probes take to declare a
/// death, (MissedProbesLimit + 1) x ProbeTimeoutMs, or the first vote expires before the last is cast.</item>
/// <item>VotesForDeath: default = Orleans' 2; at most <see cref="ProbedSilos"/>, the silos that probe each silo.</item>
/// </list>
/// </summary>
public static class MembershipTimings
{
    /// <summary>Orleans' NumProbedSilos (left at its default): how many silos probe each silo, so the most votes one death can get.</summary>
    public const int ProbedSilos = 3;

    /// <summary>Orleans' default for NumVotesForDeathDeclaration, used when none is configured.</summary>
    public const int DefaultVotesForDeath = 2;

    /// <summary>Orleans' default for DeathVoteExpirationTimeout, used when none is configured.</summary>
    public static readonly TimeSpan DefaultDeathVoteExpiration = TimeSpan.FromMinutes(2);

    /// <summary>The floor of the derived refresh and publish periods: the membership table is read or written at most once a second per silo.</summary>
    public static readonly TimeSpan MinimumTablePeriod = TimeSpan.FromSeconds(1);

    /// <summary>The timings to use: configured values, derived ones where a value is 0.</summary>
    public static MembershipTimingSettings Derive(KevyElectionOptions kevy)
    {
        ArgumentNullException.ThrowIfNull(kevy);
        var c = kevy.Clustering ?? new KevyClusteringOptions();
        var lease = kevy.Timings.ToElectionTimings().LeaseWindow;
        var table = lease < MinimumTablePeriod ? MinimumTablePeriod : lease;
        return new(
            c.TableRefreshTimeoutMs > 0 ? TimeSpan.FromMilliseconds(c.TableRefreshTimeoutMs) : table,
            c.IAmAlivePublishMs > 0 ? TimeSpan.FromMilliseconds(c.IAmAlivePublishMs) : table,
            c.DeathVoteExpirationMs > 0 ? TimeSpan.FromMilliseconds(c.DeathVoteExpirationMs) : DefaultDeathVoteExpiration,
            c.VotesForDeath > 0 ? c.VotesForDeath : DefaultVotesForDeath);
    }

    /// <summary>Adds an error for every value that cannot work; <paramref name="probes"/> are the probe settings in force.</summary>
    public static void Check(KevyClusteringOptions c, FailureDetectionSettings probes, string section, List<ConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(errors);
        NotNegative($"{section}:TableRefreshTimeoutMs", c.TableRefreshTimeoutMs, errors);
        NotNegative($"{section}:IAmAlivePublishMs", c.IAmAlivePublishMs, errors);
        NotNegative($"{section}:DeathVoteExpirationMs", c.DeathVoteExpirationMs, errors);
        if (c.VotesForDeath is < 0 or > ProbedSilos)
        {
            errors.Add(new($"{section}:VotesForDeath", Text(c.VotesForDeath),
                $"{section}:VotesForDeath is {c.VotesForDeath}; it must be 0 (Orleans' default, {DefaultVotesForDeath}) to {ProbedSilos}: only {ProbedSilos} silos probe each silo, so no death could get more votes"));
        }
        var detection = probes.ProbeTimeout * (probes.MissedProbesLimit + 1);
        if (c.DeathVoteExpirationMs > 0 && TimeSpan.FromMilliseconds(c.DeathVoteExpirationMs) <= detection)
        {
            errors.Add(new($"{section}:DeathVoteExpirationMs", Text(c.DeathVoteExpirationMs),
                $"{section}:DeathVoteExpirationMs is {c.DeathVoteExpirationMs}; votes would expire before a dead silo can be declared dead: it must be longer than " +
                $"(MissedProbesLimit + 1) x ProbeTimeoutMs = {detection.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms (0 keeps Orleans' 120000)"));
        }
    }

    private static void NotNegative(string key, int value, List<ConfigurationError> errors)
    {
        if (value < 0)
        {
            errors.Add(new(key, Text(value), $"{key} is {value}; it must be 0 (derived) or more"));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
