using Azure.Data.Tables;
using Azure.Identity;

namespace KevyOrleans.Hosting;

/// <summary>
/// An Azure Table account as a configuration section names it: exactly one of a connection string or
/// a table service URI (used with managed identity, <see cref="DefaultAzureCredential"/>). Shared by
/// vote storage and silo clustering; the one place a <see cref="TableServiceClient"/> is built.
/// </summary>
/// <param name="ConnectionString">The connection string, or null when <paramref name="ServiceUri"/> is used.</param>
/// <param name="ServiceUri">The table service URI, or null when <paramref name="ConnectionString"/> is used.</param>
public sealed record AzureTableAccount(string? ConnectionString, Uri? ServiceUri)
{
    /// <summary>A client for the account: the connection string, or the URI with the managed identity.</summary>
    public TableServiceClient CreateClient() => ConnectionString is { } connection
        ? new TableServiceClient(connection)
        : new TableServiceClient(ServiceUri, new DefaultAzureCredential());

    /// <summary>The connection string is a secret: it is never shown.</summary>
    public override string ToString() => ConnectionString is null ? $"service {ServiceUri}" : "connection string ***";

    /// <summary>
    /// The account <paramref name="section"/> names, or null after adding an error (naming the section and
    /// the bad value) unless exactly one of the two is given and a URI is absolute.
    /// </summary>
    public static AzureTableAccount? Read(string section, string? connectionString, string? serviceUri, ICollection<ConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var hasConnection = !string.IsNullOrWhiteSpace(connectionString);
        var hasUri = !string.IsNullOrWhiteSpace(serviceUri);
        if (hasConnection == hasUri)
        {
            errors.Add(new($"{section}:ConnectionString", null, $"{section}: the AzureTable provider needs exactly one of ConnectionString or ServiceUri"));
            return null;
        }
        if (hasConnection)
        {
            return new AzureTableAccount(connectionString, null);
        }
        if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri))
        {
            errors.Add(new($"{section}:ServiceUri", serviceUri,
                $"{section}:ServiceUri is '{serviceUri}'; it must be an absolute URI such as https://account.table.core.windows.net"));
            return null;
        }
        return new AzureTableAccount(null, uri);
    }
}
