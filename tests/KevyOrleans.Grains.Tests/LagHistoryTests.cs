using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.Tests;

/// <summary>The group's in-memory lag samples: bounded, spaced, and the lags the status page draws.</summary>
public sealed class LagHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    private static GroupStatus Status(ulong replicaOffset, bool replicaUp = true, bool? replicaDataNode = true) => new("g", 3, "n1",
    [
        new GroupMemberStatus("n1", true, false, Role.Primary, 3, 5000, true, 12.4, "n1") { DataNodeHealthy = true },
        new GroupMemberStatus("n2", true, false, Role.Replica, 3, replicaOffset, replicaUp, replicaUp ? 40 : 7000, "n1") { DataNodeHealthy = replicaDataNode },
        new GroupMemberStatus("w3", true, true, Role.Replica, 3, 0, true, 30, "n1"),
        new GroupMemberStatus("x4", false, false, null, null, null, false, null, null),
    ]);

    [Fact]
    public void A_sample_has_each_members_heartbeat_lag_and_a_data_replicas_replication_lag()
    {
        var history = new LagHistory();
        history.Record(Status(4200), T0);
        var sample = Assert.Single(history.Snapshot());
        Assert.Equal(T0, sample.At);
        Assert.Equal(
        [
            new MemberLag("n1", 12.4, null), // the primary: no replication lag
            new MemberLag("n2", 40, 800),
            new MemberLag("w3", 30, null), // a witness holds no data
            new MemberLag("x4", null, null), // never heard
        ], sample.Members);
    }

    [Fact]
    public void A_replica_that_is_down_or_ahead_has_no_lag_beyond_zero()
    {
        Assert.Null(LagHistory.Lag(Status(4200, replicaUp: false).Members[1], Status(4200, replicaUp: false)).ReplicationLagBytes);
        Assert.Null(LagHistory.Lag(Status(4200, replicaDataNode: false).Members[1], Status(4200, replicaDataNode: false)).ReplicationLagBytes);
        Assert.Equal(0UL, LagHistory.Lag(Status(6000).Members[1], Status(6000)).ReplicationLagBytes);
    }

    [Fact]
    public void Samples_closer_than_the_spacing_are_one_and_only_the_newest_are_kept()
    {
        var history = new LagHistory();
        history.Record(Status(1), T0);
        history.Record(Status(2), T0 + LagHistory.MinSpacing - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, history.Count);

        for (var i = 1; i <= LagHistory.Capacity + 10; i++)
        {
            history.Record(Status((ulong)i), T0 + (LagHistory.MinSpacing * i));
        }
        var samples = history.Snapshot();
        Assert.Equal(LagHistory.Capacity, samples.Count);
        Assert.Equal(T0 + (LagHistory.MinSpacing * 11), samples[0].At); // the oldest eleven are gone
        Assert.Equal(T0 + (LagHistory.MinSpacing * (LagHistory.Capacity + 10)), samples[^1].At);
        Assert.Equal(5000UL - (ulong)(LagHistory.Capacity + 10), samples[^1].Members[1].ReplicationLagBytes);
    }
}
