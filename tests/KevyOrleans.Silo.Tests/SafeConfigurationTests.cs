using KevyOrleans.Silo;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// Configurations that are valid key by key but unsafe together: votes on each machine's own disk
/// in a multi-machine cluster, and an admin API beyond loopback without a key.
/// </summary>
public sealed class SafeConfigurationTests
{
    [Fact]
    public void File_storage_with_Azure_Table_clustering_is_an_error_naming_both_keys()
    {
        var errors = SiloConfigurationCheck.Find(Config(("Kevy:Storage:Provider", "File"), ("Kevy:Clustering:Provider", "AzureTable"),
            ("Kevy:Clustering:ConnectionString", "UseDevelopmentStorage=true")));
        var error = Assert.Single(errors);
        Assert.Contains("Kevy:Storage:Provider is 'File' with Kevy:Clustering:Provider 'AzureTable'", error, StringComparison.Ordinal);
        Assert.Contains("vote twice", error, StringComparison.Ordinal);
        // The file store is the default: leaving Storage out is the same combination.
        Assert.Single(SiloConfigurationCheck.Find(Config(("Kevy:Clustering:Provider", "AzureTable"), ("Kevy:Clustering:ConnectionString", "UseDevelopmentStorage=true"))));
    }

    [Theory]
    [InlineData("File", "Localhost")]
    [InlineData("AzureTable", "AzureTable")]
    [InlineData("AzureTable", "Localhost")]
    [InlineData("Custom", "AzureTable")]
    public void The_safe_combinations_pass(string storage, string clustering)
    {
        Assert.Empty(SiloConfigurationCheck.Find(Config(("Kevy:Storage:Provider", storage), ("Kevy:Clustering:Provider", clustering),
            ("Kevy:Storage:ConnectionString", "UseDevelopmentStorage=true"), ("Kevy:Clustering:ConnectionString", "UseDevelopmentStorage=true"))));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://10.1.2.3:8080")]
    [InlineData("http://admin.example:8080")]
    public void An_admin_url_beyond_loopback_without_an_api_key_is_an_error_naming_the_key(string url)
    {
        var error = Assert.Single(SiloConfigurationCheck.Find(Config(("Kevy:Admin:Url", url))));
        Assert.Equal($"Kevy:Admin:Url is '{url}', not a loopback address, so Kevy:Admin:ApiKey must be set (16 characters or more): " +
            "without it anyone who reaches the port can move primaries", error);
        Assert.Empty(SiloConfigurationCheck.Find(Config(("Kevy:Admin:Url", url), ("Kevy:Admin:ApiKey", "0123456789abcdef"))));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    public void A_loopback_admin_url_needs_no_key(string url) =>
        Assert.Empty(SiloConfigurationCheck.Find(Config(("Kevy:Admin:Url", url))));

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
