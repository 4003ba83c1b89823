namespace KevyOrleans.Silo;

/// <summary><c>Kevy:Clustering</c>: how silos find each other.</summary>
public sealed class ClusteringOptions
{
    public const string SectionName = "Kevy:Clustering";

    /// <summary><c>Localhost</c> (one machine, the embedded default) or <c>AzureTable</c>.</summary>
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
    /// derived from the timings (<see cref="KevyOrleans.Hosting.FailureDetection"/>). With
    /// <see cref="MissedProbesLimit"/> it decides how soon a dead silo's members come back elsewhere;
    /// with AzureTable clustering, values that cannot bring them back within the lease window stop the silo.
    /// </summary>
    public int ProbeTimeoutMs { get; set; }

    /// <summary>Missed probes after which a silo is suspected; 0 = 3 (Orleans' default).</summary>
    public int MissedProbesLimit { get; set; }
}

/// <summary><c>Kevy:Admin</c>: the admin HTTP API and status page.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Kevy:Admin";

    /// <summary>Where the admin API, /metrics and the status page listen: http(s)://host:port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>When set, every request except <c>/healthz</c> must carry it in the <c>X-Api-Key</c> header (or <c>?key=</c> for the page).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long a switchover waits for its target to catch up and win before it gives up.</summary>
    public int SwitchoverTimeoutMs { get; set; } = 10000;
}
