namespace KevyOrleans.Silo;

/// <summary>
/// Configurations that lose votes. A member's vote record must be one record wherever the member
/// runs: with several machines (<c>Kevy:Clustering:Provider</c> AzureTable) a member can move to
/// another silo, and the file store (<c>Kevy:Storage:Provider</c> File) keeps each silo's records on
/// its own disk, so the member would read an old record there and could vote twice in one epoch.
/// Safe: the file store with Localhost clustering (one machine, one directory), or Azure Table
/// storage (with either clustering). Custom storage is the host's own responsibility.
/// </summary>
public static class VoteStorageCheck
{
    private const string StorageKey = "Kevy:Storage:Provider";
    private const string ClusteringKey = ClusteringOptions.SectionName + ":Provider";

    /// <summary>Adds an error naming both keys when the vote store is local to a silo of a multi-machine cluster.</summary>
    public static void Check(IConfiguration config, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        var storage = config[StorageKey] ?? "File";
        var clustering = config[ClusteringKey] ?? "Localhost";
        if (storage == "File" && clustering == "AzureTable")
        {
            errors.Add($"{StorageKey} is 'File' with {ClusteringKey} 'AzureTable': the file store keeps each silo's votes on its own disk, " +
                "so a member that moves to another silo reads an old record and can vote twice; " +
                $"use {StorageKey}=AzureTable with AzureTable clustering (the file store is safe only with Localhost clustering, on one machine)");
        }
    }
}
