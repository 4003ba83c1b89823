using System.Net;
using KevyOrleans.Gateway;
using KevyOrleans.Hosting;

namespace KevyOrleans.Silo;

/// <summary>
/// Every configuration error of the silo, found before anything starts, each naming its key and the
/// bad value: values that do not bind (a word where a number belongs), the election and group
/// settings, the gateway, clustering and the admin API.
/// </summary>
public static class SiloConfigurationCheck
{
    public static IReadOnlyList<string> Find(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        if (Bind<KevyElectionOptions>(config, KevyElectionOptions.SectionName, errors) is { } election)
        {
            errors.AddRange(KevyConfiguration.Read(election).Errors);
        }
        if (Bind<GatewayOptions>(config, GatewayOptions.SectionName, errors) is { } gateway)
        {
            errors.AddRange(gateway.Validate());
        }
        VoteStorageCheck.Check(config, errors);
        if (Bind<ClusteringOptions>(config, ClusteringOptions.SectionName, errors) is { } clustering)
        {
            CheckClustering(clustering, errors);
        }
        if (Bind<AdminOptions>(config, AdminOptions.SectionName, errors) is { } admin)
        {
            CheckAdmin(admin, errors);
        }
        return errors;
    }

    private static T? Bind<T>(IConfiguration config, string section, List<string> errors) where T : class, new()
    {
        try
        {
            return config.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = false) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // "Failed to convert configuration value 'abc' at 'Kevy:Timings:HeartbeatMs' to type 'System.Int32'."
            errors.Add(e.Message);
            return null;
        }
    }

    private static void CheckClustering(ClusteringOptions c, List<string> errors)
    {
        const string S = ClusteringOptions.SectionName;
        Port($"{S}:SiloPort", c.SiloPort, errors);
        Port($"{S}:GatewayPort", c.GatewayPort, errors);
        if (c.SiloPort == c.GatewayPort)
        {
            errors.Add($"{S}:GatewayPort is {c.GatewayPort}, the same as SiloPort; they must differ");
        }
        if (c.PrimarySiloPort != 0)
        {
            Port($"{S}:PrimarySiloPort", c.PrimarySiloPort, errors);
        }
        if (c.ProbeTimeoutMs < 0)
        {
            errors.Add($"{S}:ProbeTimeoutMs is {c.ProbeTimeoutMs}; it must be 0 (Orleans' default) or more");
        }
        if (c.MissedProbesLimit < 0)
        {
            errors.Add($"{S}:MissedProbesLimit is {c.MissedProbesLimit}; it must be 0 (Orleans' default) or more");
        }
        if (string.IsNullOrWhiteSpace(c.ClusterId))
        {
            errors.Add($"{S}:ClusterId is empty");
        }
        if (string.IsNullOrWhiteSpace(c.ServiceId))
        {
            errors.Add($"{S}:ServiceId is empty");
        }
        switch (c.Provider)
        {
            case "Localhost":
                break;
            case "AzureTable":
                AzureTableAccount.Check(S, c.ConnectionString, c.ServiceUri, errors);
                if (!string.IsNullOrWhiteSpace(c.AdvertisedAddress) && !IPAddress.TryParse(c.AdvertisedAddress, out _))
                {
                    errors.Add($"{S}:AdvertisedAddress is '{c.AdvertisedAddress}'; it must be an IP address");
                }
                break;
            default:
                errors.Add($"{S}:Provider is '{c.Provider}'; it must be Localhost or AzureTable");
                break;
        }
    }

    private static void CheckAdmin(AdminOptions a, List<string> errors)
    {
        const string S = AdminOptions.SectionName;
        if (!Uri.TryCreate(a.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https") || url.AbsolutePath != "/")
        {
            errors.Add($"{S}:Url is '{a.Url}'; it must be an http(s) URL with a port and no path, such as http://127.0.0.1:8080");
        }
        else if (!url.IsLoopback && string.IsNullOrEmpty(a.ApiKey))
        {
            errors.Add($"{S}:Url is '{a.Url}', not a loopback address, so {S}:ApiKey must be set (16 characters or more): " +
                "without it anyone who reaches the port can move primaries");
        }
        if (a.ApiKey is { Length: > 0 and < 16 })
        {
            errors.Add($"{S}:ApiKey is {a.ApiKey.Length} characters long; use at least 16");
        }
        if (a.SwitchoverTimeoutMs <= 0)
        {
            errors.Add($"{S}:SwitchoverTimeoutMs is {a.SwitchoverTimeoutMs}; it must be greater than 0");
        }
    }

    private static void Port(string key, int value, List<string> errors)
    {
        if (value is < 1 or > 65535)
        {
            errors.Add($"{key} is {value}; it must be a TCP port (1-65535)");
        }
    }
}
