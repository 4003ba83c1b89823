using KevyOrleans.Grains;

namespace KevyOrleans.Hosting;

internal static class VoteStorageRegistration
{
    /// <summary>Registers <c>kevy-votes</c> as configured. An invalid provider registers nothing: validation stops the silo.</summary>
    public static ISiloBuilder AddKevyVoteStorage(this ISiloBuilder builder, KevyStorageOptions storage) => storage.Provider switch
    {
        "File" when !string.IsNullOrWhiteSpace(storage.Path) =>
            builder.AddKevyFileGrainStorage(KevyStorageNames.ElectionState, o => o.RootDirectory = storage.Path),
        "AzureTable" when string.IsNullOrWhiteSpace(storage.ConnectionString) != string.IsNullOrWhiteSpace(storage.ServiceUri) =>
            builder.AddKevyAzureTableGrainStorage(KevyStorageNames.ElectionState, storage.ConnectionString,
                Uri.TryCreate(storage.ServiceUri, UriKind.Absolute, out var uri) ? uri : null,
                o => o.TableName = "KevyVotes"),
        _ => builder,
    };
}
