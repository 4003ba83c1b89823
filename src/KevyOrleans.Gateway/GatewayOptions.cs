namespace KevyOrleans.Gateway;

/// <summary>The <c>Kevy:Gateway</c> section: the kevy wire for external members.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Kevy:Gateway";

    /// <summary>Open a listener on every hosted member's elect port on this silo.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the listeners bind to (e.g. 0.0.0.0 in containers); empty = the member's own host.</summary>
    public string? BindAddress { get; set; }

    /// <summary>Connections a listener accepts at once; more are closed at once and counted.</summary>
    public int MaxConnectionsPerListener { get; set; } = 64;

    /// <summary>Frames queued per outbound link; when full, the oldest heartbeat goes first.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>kevy's connect timeout.</summary>
    public int ConnectTimeoutMs { get; set; } = 500;

    /// <summary>First reconnect delay; doubles up to <see cref="ReconnectMaxBackoffMs"/>, plus up to 50% jitter.</summary>
    public int ReconnectBaseBackoffMs { get; set; } = 100;

    public int ReconnectMaxBackoffMs { get; set; } = 2000;

    /// <summary>Largest frame accepted (kevy drops a connection whose unparsed input exceeds 16 KiB).</summary>
    public int FrameCapBytes { get; set; } = 16 * 1024;

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
        Positive(nameof(QueueCapacity), QueueCapacity);
        Positive(nameof(ConnectTimeoutMs), ConnectTimeoutMs);
        Positive(nameof(ReconnectBaseBackoffMs), ReconnectBaseBackoffMs);
        Positive(nameof(FrameCapBytes), FrameCapBytes);
        if (ReconnectMaxBackoffMs < ReconnectBaseBackoffMs)
        {
            errors.Add($"{SectionName}:{nameof(ReconnectMaxBackoffMs)} is {ReconnectMaxBackoffMs}; it must be at least {nameof(ReconnectBaseBackoffMs)} ({ReconnectBaseBackoffMs})");
        }
        if (!string.IsNullOrWhiteSpace(BindAddress) && !System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"{SectionName}:{nameof(BindAddress)} is '{BindAddress}'; it must be an IP address such as 0.0.0.0");
        }
        return errors;
    }
}
