using System.Globalization;

namespace KevyOrleans.Hosting;

/// <summary>Orleans' silo failure detection as the election needs it: how long a probe may take, and how many may be missed.</summary>
/// <param name="ProbeTimeout">ClusterMembershipOptions.ProbeTimeout: the probe period and each probe's timeout.</param>
/// <param name="MissedProbesLimit">ClusterMembershipOptions.NumMissedProbesLimit: missed probes before a silo is suspected.</param>
public readonly record struct FailureDetectionSettings(TimeSpan ProbeTimeout, int MissedProbesLimit);

/// <summary>
/// Rule 13 for the hosting: when a silo dies, the members it hosted must be back on another silo and
/// fencing before the lease window (down_after - 2 x hb) ends, because that is when their peers may
/// start to elect a successor while an orphaned primary's data node still takes writes.
/// <para>The time to bring a member back is bounded by
/// <c>(MissedProbesLimit + 1) x ProbeTimeout + supervisor interval + hb</c>: a probe every ProbeTimeout
/// (one period of phase, then MissedProbesLimit probes that each time out; the other silos' votes are
/// collected in parallel), the supervisor's next pass re-activates the member on a live silo, and its first
/// tick probes and fences its data node. That bound must not exceed the lease window.</para>
/// <para>Unset values (0) are derived from the timings so the bound holds: MissedProbesLimit 3 (Orleans'
/// default) and ProbeTimeout = (lease window - supervisor interval - hb) / (MissedProbesLimit + 1), in
/// whole milliseconds; a derived ProbeTimeout below <see cref="MinimumProbeTimeout"/> is an error too.</para>
/// </summary>
public static class FailureDetection
{
    /// <summary>The missed-probe limit used when none is configured (Orleans' own default).</summary>
    public const int DefaultMissedProbesLimit = 3;

    /// <summary>A derived probe timeout shorter than this would declare healthy silos dead under ordinary load.</summary>
    public static readonly TimeSpan MinimumProbeTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The settings to use: the configured ones, and the derived ones where a value is 0.</summary>
    public static FailureDetectionSettings Derive(KevyElectionOptions kevy, int probeTimeoutMs, int missedProbesLimit)
    {
        ArgumentNullException.ThrowIfNull(kevy);
        var missed = missedProbesLimit > 0 ? missedProbesLimit : DefaultMissedProbesLimit;
        if (probeTimeoutMs > 0)
        {
            return new(TimeSpan.FromMilliseconds(probeTimeoutMs), missed);
        }
        var budget = Budget(kevy);
        var derived = Math.Floor(budget.TotalMilliseconds / (missed + 1));
        return new(TimeSpan.FromMilliseconds(Math.Max(0, derived)), missed);
    }

    /// <summary>The bound on bringing a dead silo's member back and fencing (see the class summary).</summary>
    public static TimeSpan TimeToReturn(FailureDetectionSettings settings, KevyElectionOptions kevy)
    {
        ArgumentNullException.ThrowIfNull(kevy);
        return (settings.ProbeTimeout * (settings.MissedProbesLimit + 1)) + KevyConfiguration.SupervisorInterval(kevy) +
            TimeSpan.FromMilliseconds(kevy.Timings.HeartbeatMs);
    }

    /// <summary>
    /// The configuration error, naming the keys, the computed bound and the lease window, when the settings
    /// cannot bring a member back in time; null when they can. <paramref name="section"/> is where
    /// ProbeTimeoutMs and MissedProbesLimit are configured.
    /// </summary>
    public static string? Check(KevyElectionOptions kevy, int probeTimeoutMs, int missedProbesLimit, string section)
    {
        ArgumentNullException.ThrowIfNull(kevy);
        var timings = kevy.Timings.ToElectionTimings();
        if (timings.Validate().Count > 0 || probeTimeoutMs < 0 || missedProbesLimit < 0)
        {
            return null; // reported by their own checks
        }
        var settings = Derive(kevy, probeTimeoutMs, missedProbesLimit);
        var bound = TimeToReturn(settings, kevy);
        var lease = timings.LeaseWindow;
        var keys = $"{section}:ProbeTimeoutMs = {Ms(settings.ProbeTimeout)}{(probeTimeoutMs > 0 ? "" : " (derived)")}, " +
            $"{section}:MissedProbesLimit = {settings.MissedProbesLimit}{(missedProbesLimit > 0 ? "" : " (default)")}, " +
            $"{KevyElectionOptions.SectionName}:SupervisorIntervalMs = {Ms(KevyConfiguration.SupervisorInterval(kevy))}, " +
            $"{KevyElectionOptions.SectionName}:Timings:HeartbeatMs = {kevy.Timings.HeartbeatMs}, {KevyElectionOptions.SectionName}:Timings:DownAfterMs = {kevy.Timings.DownAfterMs}";
        if (probeTimeoutMs == 0 && settings.ProbeTimeout < MinimumProbeTimeout)
        {
            return $"the lease window (DownAfterMs - 2 x HeartbeatMs = {Ms(lease)} ms) is too short to bring a dead silo's members back in time: " +
                $"the derived probe timeout would be {Ms(settings.ProbeTimeout)} ms, below {Ms(MinimumProbeTimeout)} ms ({keys}); raise DownAfterMs or lower SupervisorIntervalMs";
        }
        if (bound > lease)
        {
            return $"failure detection cannot bring a dead silo's members back before the lease window ends: " +
                $"(MissedProbesLimit + 1) x ProbeTimeoutMs + SupervisorIntervalMs + HeartbeatMs = {Ms(bound)} ms exceeds DownAfterMs - 2 x HeartbeatMs = {Ms(lease)} ms ({keys}); " +
                $"lower ProbeTimeoutMs or MissedProbesLimit (0 derives them), or raise DownAfterMs";
        }
        return null;
    }

    /// <summary>The budget the probes get: the lease window minus the supervisor interval and one heartbeat.</summary>
    private static TimeSpan Budget(KevyElectionOptions kevy) =>
        kevy.Timings.ToElectionTimings().LeaseWindow - KevyConfiguration.SupervisorInterval(kevy) - TimeSpan.FromMilliseconds(kevy.Timings.HeartbeatMs);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
