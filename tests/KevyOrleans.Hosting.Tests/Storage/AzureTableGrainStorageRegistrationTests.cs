using Microsoft.Extensions.Hosting;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>The Azure Table registration refuses an ambiguous or missing account before anything starts.</summary>
public sealed class AzureTableGrainStorageRegistrationTests
{
    [Theory]
    [InlineData(null, null, "neither was given")]
    [InlineData("  ", null, "neither was given")]
    [InlineData("UseDevelopmentStorage=true", "https://account.table.core.windows.net/", "both were given")]
    public void Exactly_one_of_connection_string_and_service_uri_is_required(string? connectionString, string? serviceUri, string problem)
    {
        var uri = serviceUri is null ? null : new Uri(serviceUri);

        var e = Assert.Throws<ArgumentException>(() => new HostBuilder()
            .UseOrleans(silo => silo.AddKevyAzureTableGrainStorage("votes", connectionString, uri))
            .Build()
            .Dispose());

        Assert.Contains("Azure Table grain storage 'votes' needs exactly one of a connection string and a service URI", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
