namespace KevyOrleans.Gateway;

/// <summary>The <c>Kevy:Gateway</c> section: the kevy wire for external members.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Kevy:Gateway";

    /// <summary>Open a listener on every hosted member's elect port on this silo.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The members whose elect listeners this silo opens, as <c>group/member</c> keys separated by commas;
    /// empty = every hosted member. A listener reaches its member wherever the member is active, so each
    /// elect address needs one silo listening on it, not the silo that hosts the member (src/README.md,
    /// "The gateway in a fleet"). Per silo: several silos on one machine split the ports between them.
    /// </summary>
    public string? Members { get; set; }

    /// <summary>The keys of <see cref="Members"/>, trimmed; empty when every hosted member is meant.</summary>
    public IReadOnlyList<string> MemberKeys() =>
        string.IsNullOrWhiteSpace(Members) ? [] : [.. Members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Address the listeners bind to (e.g. 0.0.0.0 in containers); empty = the member's own host.</summary>
    public string? BindAddress { get; set; }

    /// <summary>Connections a listener accepts at once; more are closed at once and counted.</summary>
    public int MaxConnectionsPerListener { get; set; } = 64;

    /// <summary>
    /// Connections a listener accepts at once from one source address (rule 12); more are closed at once
    /// and counted as <c>too-many-from-source</c>. At most <see cref="MaxConnectionsPerListener"/>; behind a
    /// NAT or TLS terminator every member shares one address, so it must cover them all.
    /// </summary>
    public int MaxConnectionsPerSource { get; set; } = 8;

    /// <summary>
    /// Accept a frame only on a connection whose source address is one of the addresses the sender's
    /// configured host resolves to (rule 12). Off only where a network boundary or TLS with client
    /// certificates protects the elect ports (behind NAT every member appears with another address).
    /// </summary>
    public bool RequireSourceAddress { get; set; } = true;

    /// <summary>How often member host names are resolved again for the source-address check (DNS changes are seen within this).</summary>
    public int SourceAddressRefreshMs { get; set; } = 30_000;

    /// <summary>
    /// A connection must complete its TLS handshake (if any) and deliver one valid member frame within this
    /// many ms of being accepted, or it is closed and counted as <c>handshake-timeout</c>. A kevy server writes
    /// its first frame as soon as it has connected. Also bounds the outbound TLS handshake.
    /// </summary>
    public int HandshakeTimeoutMs { get; set; } = 1000;

    /// <summary>Frames a second one inbound connection may hand to its member (token bucket); the excess is dropped and counted as <c>rate-limited</c>.</summary>
    public int MaxFramesPerSecond { get; set; } = 200;

    /// <summary>The token bucket's size: frames one connection may deliver back to back before <see cref="MaxFramesPerSecond"/> applies.</summary>
    public int FrameBurst { get; set; } = 200;

    /// <summary>TLS on the elect listeners and the outbound links (off by default).</summary>
    public GatewayTlsOptions Tls { get; set; } = new();

    /// <summary>Frames queued per outbound link; when full, the oldest heartbeat goes first.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>kevy's connect timeout.</summary>
    public int ConnectTimeoutMs { get; set; } = 500;

    /// <summary>First reconnect delay; doubles up to <see cref="ReconnectMaxBackoffMs"/>, plus up to 50% jitter.</summary>
    public int ReconnectBaseBackoffMs { get; set; } = 100;

    /// <summary>The longest reconnect delay (before jitter).</summary>
    public int ReconnectMaxBackoffMs { get; set; } = 2000;

    /// <summary>Largest frame accepted (kevy drops a connection whose unparsed input exceeds 16 KiB).</summary>
    public int FrameCapBytes { get; set; } = 16 * 1024;

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
        Positive(nameof(MaxConnectionsPerListener), MaxConnectionsPerListener);
        Positive(nameof(MaxConnectionsPerSource), MaxConnectionsPerSource);
        Positive(nameof(SourceAddressRefreshMs), SourceAddressRefreshMs);
        Positive(nameof(HandshakeTimeoutMs), HandshakeTimeoutMs);
        Positive(nameof(MaxFramesPerSecond), MaxFramesPerSecond);
        Positive(nameof(FrameBurst), FrameBurst);
        Positive(nameof(QueueCapacity), QueueCapacity);
        Positive(nameof(ConnectTimeoutMs), ConnectTimeoutMs);
        Positive(nameof(ReconnectBaseBackoffMs), ReconnectBaseBackoffMs);
        Positive(nameof(FrameCapBytes), FrameCapBytes);
        if (MaxConnectionsPerSource > MaxConnectionsPerListener)
        {
            errors.Add($"{SectionName}:{nameof(MaxConnectionsPerSource)} is {MaxConnectionsPerSource}; it must be at most {nameof(MaxConnectionsPerListener)} ({MaxConnectionsPerListener})");
        }
        if (ReconnectMaxBackoffMs < ReconnectBaseBackoffMs)
        {
            errors.Add($"{SectionName}:{nameof(ReconnectMaxBackoffMs)} is {ReconnectMaxBackoffMs}; it must be at least {nameof(ReconnectBaseBackoffMs)} ({ReconnectBaseBackoffMs})");
        }
        if (!string.IsNullOrWhiteSpace(BindAddress) && !System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"{SectionName}:{nameof(BindAddress)} is '{BindAddress}'; it must be an IP address such as 0.0.0.0");
        }
        foreach (var key in MemberKeys())
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == key.Length - 1)
            {
                errors.Add($"{SectionName}:{nameof(Members)} names '{key}'; each entry must be group/member, such as orders/n1");
            }
        }
        (Tls ?? new GatewayTlsOptions()).Validate($"{SectionName}:{nameof(Tls)}", errors);
        return errors;
    }
}
