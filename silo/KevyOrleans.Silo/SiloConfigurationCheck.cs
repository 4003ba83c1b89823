using KevyOrleans.Gateway;
using KevyOrleans.Hosting;

namespace KevyOrleans.Silo;

/// <summary>
/// The silo's configuration, read once through <see cref="KevyConfiguration"/> before anything starts:
/// the election, storage and clustering (Hosting), and the silo's own <c>Admin</c> and the gateway's
/// <c>Gateway</c> subsections. Every key of the <c>Kevy</c> section must be known at every level; every
/// error names its key and the bad value.
/// </summary>
public static class SiloConfigurationCheck
{
    /// <summary>The subsections of <c>Kevy</c> the silo owns besides the election's.</summary>
    public static IReadOnlyList<KevyHostSection> HostSections { get; } =
    [
        KevyHostSection.Of<AdminOptions>("Admin", CheckAdmin),
        KevyHostSection.Of<GatewayOptions>("Gateway", g => g.Validate().Select(FromGatewayMessage)),
        KevyHostSection.Of<KevyOrleans.Gateway.Sentinel.SentinelOptions>("Sentinel", s => s.Validate().Select(FromGatewayMessage)),
        KevyHostSection.Of<KevyOrleans.Hosting.Hooks.HooksOptions>("Hooks", h => h.Validate().Select(FromGatewayMessage)),
        KevyHostSection.Of<Tls.SiloTlsOptions>("SiloTls", t => t.Validate()),
    ];

    /// <summary>Reads the <c>Kevy</c> section of <paramref name="config"/> into the model, errors included.</summary>
    public static KevySettings Read(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return KevyConfiguration.Read(config.GetSection(KevyElectionOptions.SectionName), HostSections);
    }

    /// <summary>Every error's message; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Find(IConfiguration config) => Read(config).Messages;

    private static IEnumerable<ConfigurationError> CheckAdmin(AdminOptions a)
    {
        const string S = AdminOptions.SectionName;
        if (!Uri.TryCreate(a.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https") || url.AbsolutePath != "/")
        {
            yield return new($"{S}:Url", a.Url, $"{S}:Url is '{a.Url}'; it must be an http(s) URL with a port and no path, such as http://127.0.0.1:8080");
        }
        else if (!url.IsLoopback && string.IsNullOrEmpty(a.ApiKey))
        {
            yield return new($"{S}:ApiKey", null, $"{S}:Url is '{a.Url}', not a loopback address, so {S}:ApiKey must be set (16 characters or more): " +
                "without it anyone who reaches the port can move primaries");
        }
        if (a.ApiKey is { Length: > 0 and < 16 })
        {
            // The key itself is a secret: the error names its length only.
            yield return new($"{S}:ApiKey", null, $"{S}:ApiKey is {a.ApiKey.Length} characters long; use at least 16");
        }
        if (a.SwitchoverTimeoutMs <= 0)
        {
            yield return new($"{S}:SwitchoverTimeoutMs", $"{a.SwitchoverTimeoutMs}", $"{S}:SwitchoverTimeoutMs is {a.SwitchoverTimeoutMs}; it must be greater than 0");
        }
    }

    /// <summary>The gateway validates itself (it does not reference Hosting); its messages start with the key they name.</summary>
    private static ConfigurationError FromGatewayMessage(string message)
    {
        var key = message.Split(' ', 2)[0].TrimEnd(':');
        return new ConfigurationError(key, null, message);
    }
}
