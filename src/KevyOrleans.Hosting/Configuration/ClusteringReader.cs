using System.Net;

namespace KevyOrleans.Hosting;

/// <summary><c>Kevy:Clustering</c>: ports, ids, the provider and its account, and failure detection (rule 13).</summary>
internal static class ClusteringReader
{
    private const string S = KevyClusteringOptions.SectionName;

    /// <summary>The clustering choice, or null after adding its errors.</summary>
    /// <param name="kevy">The bound <c>Kevy</c> section; its <c>Clustering</c> part is read.</param>
    /// <param name="errors">Where each problem found is added, with its configuration key.</param>
    /// <param name="timingsValid">False when the timings have errors: failure detection is then not derived (nor checked).</param>
    public static ClusteringChoice? Read(KevyElectionOptions kevy, bool timingsValid, List<ConfigurationError> errors)
    {
        var c = kevy.Clustering ?? new KevyClusteringOptions();
        var before = errors.Count;
        Port($"{S}:SiloPort", c.SiloPort, errors);
        Port($"{S}:GatewayPort", c.GatewayPort, errors);
        if (c.SiloPort == c.GatewayPort)
        {
            errors.Add(new($"{S}:GatewayPort", KevyConfiguration.Text(c.GatewayPort), $"{S}:GatewayPort is {c.GatewayPort}, the same as SiloPort; they must differ"));
        }
        if (c.PrimarySiloPort != 0)
        {
            Port($"{S}:PrimarySiloPort", c.PrimarySiloPort, errors);
        }
        if (c.ProbeTimeoutMs < 0)
        {
            errors.Add(new($"{S}:ProbeTimeoutMs", KevyConfiguration.Text(c.ProbeTimeoutMs),
                $"{S}:ProbeTimeoutMs is {c.ProbeTimeoutMs}; it must be 0 (derived from the timings) or more"));
        }
        if (c.MissedProbesLimit < 0)
        {
            errors.Add(new($"{S}:MissedProbesLimit", KevyConfiguration.Text(c.MissedProbesLimit),
                $"{S}:MissedProbesLimit is {c.MissedProbesLimit}; it must be 0 (the default, 3) or more"));
        }
        if (timingsValid && c.ProbeTimeoutMs >= 0 && c.MissedProbesLimit >= 0)
        {
            MembershipTimings.Check(c, FailureDetection.Derive(kevy, c.ProbeTimeoutMs, c.MissedProbesLimit), S, errors);
        }
        if (string.IsNullOrWhiteSpace(c.ClusterId))
        {
            errors.Add(new($"{S}:ClusterId", c.ClusterId, $"{S}:ClusterId is empty"));
        }
        if (string.IsNullOrWhiteSpace(c.ServiceId))
        {
            errors.Add(new($"{S}:ServiceId", c.ServiceId, $"{S}:ServiceId is empty"));
        }
        AzureTableAccount? account = null;
        IPAddress? address = null;
        var provider = ProviderName.Parse<ClusteringProvider>(c.Provider);
        switch (provider)
        {
            case ClusteringProvider.Localhost:
                break;
            case ClusteringProvider.AzureTable:
                account = AzureTableAccount.Read(S, c.ConnectionString, c.ServiceUri, errors);
                if (!string.IsNullOrWhiteSpace(c.AdvertisedAddress) && !IPAddress.TryParse(c.AdvertisedAddress, out address))
                {
                    errors.Add(new($"{S}:AdvertisedAddress", c.AdvertisedAddress, $"{S}:AdvertisedAddress is '{c.AdvertisedAddress}'; it must be an IP address"));
                }
                // Rule 13: several silos, so a dead silo's members must be back elsewhere within the lease window.
                if (timingsValid && FailureDetection.Check(kevy, c.ProbeTimeoutMs, c.MissedProbesLimit, S) is { } tooSlow)
                {
                    errors.Add(new($"{S}:ProbeTimeoutMs", KevyConfiguration.Text(c.ProbeTimeoutMs), tooSlow));
                }
                break;
            default:
                errors.Add(new($"{S}:Provider", c.Provider, $"{S}:Provider is '{c.Provider}'; it must be Localhost or AzureTable"));
                break;
        }
        if (errors.Count > before || provider is null || !timingsValid)
        {
            return null;
        }
        return new ClusteringChoice(provider.Value, account, address, c, FailureDetection.Derive(kevy, c.ProbeTimeoutMs, c.MissedProbesLimit))
        {
            Membership = MembershipTimings.Derive(kevy),
        };
    }

    private static void Port(string key, int value, List<ConfigurationError> errors)
    {
        if (value is < 1 or > 65535)
        {
            errors.Add(new(key, KevyConfiguration.Text(value), $"{key} is {value}; it must be a TCP port (1-65535)"));
        }
    }
}
