using KevyOrleans.Grains;

namespace KevyOrleans.Hosting;

internal static class VoteStorageRegistration
{
    /// <summary>Registers <c>kevy-votes</c> as chosen. An invalid choice (null) registers nothing: validation stops the silo.</summary>
    public static ISiloBuilder AddKevyVoteStorage(this ISiloBuilder builder, VoteStorageChoice? storage) => storage switch
    {
        { Provider: VoteStorageProvider.File, Path: { } path } =>
            builder.AddKevyFileGrainStorage(KevyStorageNames.ElectionState, o => o.RootDirectory = path),
        { Provider: VoteStorageProvider.AzureTable, Account: { } account } =>
            builder.AddKevyAzureTableGrainStorage(KevyStorageNames.ElectionState, account, o => o.TableName = "KevyVotes"),
        _ => builder,
    };
}
