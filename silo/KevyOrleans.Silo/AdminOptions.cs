namespace KevyOrleans.Silo;

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
