namespace KevyOrleans.Hosting;

/// <summary><c>Kevy:Clustering</c>: how silos find each other.</summary>
public sealed class KevyClusteringOptions
{
    /// <summary>The section's path.</summary>
    public const string SectionName = "Kevy:Clustering";

    /// <summary><c>Localhost</c> (one machine, the embedded default) or <c>AzureTable</c>; any case.</summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>Silo-to-silo port. Settable so several silos can share one machine.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost only: the silo port of the first silo, for a second silo on the same machine; 0 = this silo is the first.</summary>
    public int PrimarySiloPort { get; set; }

    /// <summary>Orleans cluster id: silos with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "kevy";

    /// <summary>Orleans service id: keeps grain state stable across deployments of one service.</summary>
    public string ServiceId { get; set; } = "kevy";

    /// <summary>AzureTable: a connection string, or ...</summary>
    public string? ConnectionString { get; set; }

    /// <summary>... a table service URI used with managed identity (DefaultAzureCredential).</summary>
    public string? ServiceUri { get; set; }

    /// <summary>AzureTable: the address other silos reach this one at; empty = the first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// How long a silo-to-silo probe may take before it counts as missed (also the probe period); 0 =
    /// derived from the timings (<see cref="FailureDetection"/>). With <see cref="MissedProbesLimit"/> it
    /// decides how soon a dead silo's members come back elsewhere; with AzureTable clustering, values that
    /// cannot bring them back within the lease window stop the silo.
    /// </summary>
    public int ProbeTimeoutMs { get; set; }

    /// <summary>Missed probes after which a silo is suspected; 0 = 3 (Orleans' default).</summary>
    public int MissedProbesLimit { get; set; }

    /// <summary>How often a silo re-reads the membership table (repairs a missed death gossip); 0 = the lease window, at least 1 s (<see cref="MembershipTimings"/>).</summary>
    public int TableRefreshTimeoutMs { get; set; }

    /// <summary>How often a silo writes its I-am-alive time to the membership table; 0 = the lease window, at least 1 s.</summary>
    public int IAmAlivePublishMs { get; set; }

    /// <summary>How long a vote that a silo is dead counts; 0 = Orleans' 120000. Must exceed (MissedProbesLimit + 1) x ProbeTimeoutMs.</summary>
    public int DeathVoteExpirationMs { get; set; }

    /// <summary>Votes that declare a silo dead; 0 = Orleans' 2 (Orleans asks at most half the live silos). At most 3.</summary>
    public int VotesForDeath { get; set; }
}
