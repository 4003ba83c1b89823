using System.Net;

namespace KevyOrleans.Hosting;

/// <summary>Where the <c>kevy-votes</c> grain storage keeps members' durable records.</summary>
public enum VoteStorageProvider
{
    /// <summary>State files in a directory (one machine).</summary>
    File,

    /// <summary>An Azure Table shared by every silo.</summary>
    AzureTable,

    /// <summary>The host registers <c>kevy-votes</c> itself.</summary>
    Custom,
}

/// <summary>How silos find each other.</summary>
public enum ClusteringProvider
{
    /// <summary>One machine: Orleans' localhost clustering.</summary>
    Localhost,

    /// <summary>Several machines: Orleans' Azure Table membership.</summary>
    AzureTable,
}

/// <summary>The vote storage chosen by <c>Kevy:Storage</c>.</summary>
/// <param name="Provider">Which store.</param>
/// <param name="Path">File: the directory; otherwise null.</param>
/// <param name="Account">AzureTable: the account; otherwise null.</param>
public sealed record VoteStorageChoice(VoteStorageProvider Provider, string? Path, AzureTableAccount? Account);

/// <summary>The clustering chosen by <c>Kevy:Clustering</c>, with the failure detection derived for it.</summary>
/// <param name="Provider">Which membership.</param>
/// <param name="Account">AzureTable: the account; otherwise null.</param>
/// <param name="AdvertisedAddress">AzureTable: the configured address, or null for the first non-loopback one.</param>
/// <param name="Options">The bound section (ports, ids).</param>
/// <param name="Detection">Orleans' probe settings (rule 13, <see cref="FailureDetection"/>).</param>
public sealed record ClusteringChoice(ClusteringProvider Provider, AzureTableAccount? Account, IPAddress? AdvertisedAddress,
    KevyClusteringOptions Options, FailureDetectionSettings Detection)
{
    /// <summary>Orleans' other membership timings (<see cref="MembershipTimings"/>).</summary>
    public MembershipTimingSettings Membership { get; init; }
}
