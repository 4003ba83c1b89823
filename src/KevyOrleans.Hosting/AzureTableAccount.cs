namespace KevyOrleans.Hosting;

/// <summary>
/// How a configuration section names an Azure Table account: exactly one of a connection string or
/// a table service URI (used with managed identity). Shared by vote storage and silo clustering.
/// </summary>
public static class AzureTableAccount
{
    /// <summary>Adds an error, naming <paramref name="section"/> and the bad value, unless exactly one is given and a URI is absolute.</summary>
    public static void Check(string section, string? connectionString, string? serviceUri, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var hasConnection = !string.IsNullOrWhiteSpace(connectionString);
        var hasUri = !string.IsNullOrWhiteSpace(serviceUri);
        if (hasConnection == hasUri)
        {
            errors.Add($"{section}: the AzureTable provider needs exactly one of ConnectionString or ServiceUri");
        }
        else if (hasUri && !Uri.TryCreate(serviceUri, UriKind.Absolute, out _))
        {
            errors.Add($"{section}:ServiceUri is '{serviceUri}'; it must be an absolute URI such as https://account.table.core.windows.net");
        }
    }
}
