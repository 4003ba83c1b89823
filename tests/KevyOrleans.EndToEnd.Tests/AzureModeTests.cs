using System.Text.Json.Nodes;
using Azure.Data.Tables;
using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>The silo in Azure mode, by configuration only: Azure Table clustering, reminders and vote storage (on Azurite).</summary>
public sealed class AzureModeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_silo_configured_for_Azure_elects_fails_over_and_keeps_its_votes_and_membership_in_tables()
    {
        var clusterId = $"azure-e2e-{Guid.NewGuid():N}";
        await using var fleet = await Fleet.StartAsync(3, config =>
        {
            var kevy = config["Kevy"]!.AsObject();
            kevy["Storage"] = new JsonObject { ["Provider"] = "AzureTable", ["ConnectionString"] = azurite.ConnectionString };
            var clustering = kevy["Clustering"]!.AsObject();
            clustering["Provider"] = "AzureTable";
            clustering["ConnectionString"] = azurite.ConnectionString;
            clustering["AdvertisedAddress"] = "127.0.0.1";
            clustering["ClusterId"] = clusterId;
            // ProbeTimeoutMs and MissedProbesLimit unset: derived from the timings (rule 13's bound).
        });

        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);
        await primary.Redis.KillAsync();
        var successor = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
        Assert.NotEqual(primary.Id, successor.Id);

        // Nothing went to the local disk; the votes and the silo's membership are in Azure tables.
        Assert.False(Directory.Exists(fleet.StorageDirectory) && Directory.EnumerateFileSystemEntries(fleet.StorageDirectory).Any());
        var tables = new TableServiceClient(azurite.ConnectionString);
        var votes = tables.GetTableClient("KevyVotes").QueryAsync<TableEntity>();
        var rows = 0;
        await foreach (var _ in votes)
        {
            rows++;
        }
        Assert.True(rows >= 3, $"{rows} rows in KevyVotes: each member's record and the group's history belong there");
        var membership = tables.GetTableClient("OrleansSiloInstances").QueryAsync<TableEntity>(e => e.PartitionKey == clusterId);
        var silos = 0;
        await foreach (var _ in membership)
        {
            silos++;
        }
        Assert.True(silos >= 1, "the silo did not register in the Azure membership table");
    }
}
