using System.Net;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// The <c>Kevy:Sentinel</c> section: a Redis-Sentinel-compatible RESP endpoint on this silo, where
/// clients ask for a group's primary (the group name is the Sentinel "master name") and subscribe to
/// its switch events.
/// </summary>
public sealed class SentinelOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Kevy:Sentinel";

    /// <summary>TCP port of the endpoint; 0 (the default) turns it off.</summary>
    public int Port { get; set; }

    /// <summary>Address the endpoint binds to; loopback by default. Off loopback, <see cref="Password"/> is required.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos' endpoints and <c>SENTINEL SENTINELS</c> give out for this one; empty = the
    /// bind address, or (binding every interface) this host's first IPv4 address. Like Sentinel's <c>announce-ip</c>.
    /// </summary>
    public string? AnnounceAddress { get; set; }

    /// <summary>When set, every command but <c>AUTH</c>, <c>HELLO ... AUTH</c> and <c>QUIT</c> needs <c>AUTH [default] &lt;password&gt;</c> first.</summary>
    public string? Password { get; set; }

    /// <summary>Connections the endpoint holds at once; more are closed at accept and counted (<c>too-many-connections</c>).</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>Connections one source address may hold at once (<c>too-many-from-source</c>); at most <see cref="MaxConnections"/>.</summary>
    public int MaxConnectionsPerSource { get; set; } = 64;

    /// <summary>Connections in subscriber mode at once; a SUBSCRIBE beyond it is refused with an error and counted (<c>too-many-subscribers</c>).</summary>
    public int MaxSubscribers { get; set; } = 128;

    /// <summary>Largest request (one command with its arguments) in bytes; a connection that sends more is closed and counted (<c>request-too-large</c>).</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Replies and events queued for one connection; a subscriber that falls this far behind is closed
    /// and counted (<c>slow-subscriber</c>), as Redis closes a client over its pub/sub output limit.
    /// </summary>
    public int MaxPendingReplies { get; set; } = 1024;

    /// <summary>How often the silo reads every group's status to answer queries and publish events (ms).</summary>
    public int RefreshMs { get; set; } = 200;

    /// <summary>How long <c>SENTINEL FAILOVER</c> lets the planned switchover take before it answers with an error (ms).</summary>
    public int FailoverTimeoutMs { get; set; } = 10_000;

    /// <summary>True when the endpoint is on (<see cref="Port"/> above 0).</summary>
    public bool Enabled => Port > 0;

    /// <summary>Every problem with these options, each naming its key; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string name, int value)
        {
            if (value <= 0)
            {
                errors.Add($"{SectionName}:{name} is {value}; it must be greater than 0");
            }
        }
        if (Port is < 0 or > 65535)
        {
            errors.Add($"{SectionName}:{nameof(Port)} is {Port}; it must be 0 (off) or a TCP port from 1 to 65535");
        }
        Positive(nameof(MaxConnections), MaxConnections);
        Positive(nameof(MaxConnectionsPerSource), MaxConnectionsPerSource);
        Positive(nameof(MaxSubscribers), MaxSubscribers);
        Positive(nameof(MaxPendingReplies), MaxPendingReplies);
        Positive(nameof(RefreshMs), RefreshMs);
        Positive(nameof(FailoverTimeoutMs), FailoverTimeoutMs);
        if (MaxRequestBytes < 1024)
        {
            errors.Add($"{SectionName}:{nameof(MaxRequestBytes)} is {MaxRequestBytes}; it must be at least 1024");
        }
        if (MaxConnectionsPerSource > MaxConnections)
        {
            errors.Add($"{SectionName}:{nameof(MaxConnectionsPerSource)} is {MaxConnectionsPerSource}; it must be at most {nameof(MaxConnections)} ({MaxConnections})");
        }
        if (!IPAddress.TryParse(BindAddress, out var bind))
        {
            errors.Add($"{SectionName}:{nameof(BindAddress)} is '{BindAddress}'; it must be an IP address such as 127.0.0.1 or 0.0.0.0");
        }
        else if (Enabled && !IPAddress.IsLoopback(bind) && string.IsNullOrEmpty(Password))
        {
            errors.Add($"{SectionName}:{nameof(BindAddress)} is '{BindAddress}', not a loopback address, so {SectionName}:{nameof(Password)} must be set: "
                + "without it anyone who reaches the port can move primaries (SENTINEL FAILOVER)");
        }
        if (!string.IsNullOrEmpty(AnnounceAddress) && !IPAddress.TryParse(AnnounceAddress, out _))
        {
            errors.Add($"{SectionName}:{nameof(AnnounceAddress)} is '{AnnounceAddress}'; it must be an IP address");
        }
        if (Password is { Length: > 0 and < 8 })
        {
            errors.Add($"{SectionName}:{nameof(Password)} is {Password.Length} characters long; use at least 8");
        }
        return errors;
    }
}
