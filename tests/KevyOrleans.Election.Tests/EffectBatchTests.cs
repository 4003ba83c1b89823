using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests;

/// <summary>Persist before send is structural: the types do not let a frame out ahead of its record.</summary>
public sealed class EffectBatchTests
{
    private static readonly ElectionGroup Group = new(MemberList.Parse("n1@h:7001:6001,n2@h:7002:6002,n3@h:7003:6003"));

    private static (Elector Elector, EffectBatch Vote) VoteBatch()
    {
        var elector = new Elector(new ElectorConfig("n3", Group), null, TimeSpan.Zero, new Random(1));
        elector.ObserveDataNode(true, 0, TimeSpan.Zero).Release(); // probed: it may vote (rule 11)
        var batch = elector.Receive(ElectionMessage.Offer(2, "n1", 0), TimeSpan.FromMilliseconds(1));
        return (elector, batch);
    }

    [Fact]
    public void A_batch_with_a_record_releases_nothing_until_committed()
    {
        var (_, batch) = VoteBatch();
        Assert.Equal(new DurableRecord(2, new Vote(2, "n1"), null), batch.RecordToCommit);
        Assert.True(batch.IsPending);
        var e = Assert.Throws<InvalidOperationException>(() => batch.Release());
        Assert.Contains("Committed()", e.Message, StringComparison.Ordinal);
        var effects = batch.Committed();
        Assert.Equal(ElectionMessage.Accept(2, "n3"), Assert.Single(effects.Messages).Message);
        Assert.Throws<InvalidOperationException>(() => batch.Committed());
    }

    [Fact]
    public void No_input_is_taken_while_a_record_is_pending()
    {
        var (elector, batch) = VoteBatch();
        Assert.Throws<InvalidOperationException>(() => elector.Tick(TimeSpan.FromMilliseconds(2)));
        batch.Committed();
        elector.Tick(TimeSpan.FromMilliseconds(3));
    }

    [Fact]
    public void A_failed_commit_releases_nothing_and_retires_the_elector()
    {
        var (elector, batch) = VoteBatch();
        batch.CommitFailed();
        Assert.Throws<InvalidOperationException>(() => batch.Committed());
        Assert.False(elector.IsUsable);
        var e = Assert.Throws<InvalidOperationException>(() => elector.Tick(TimeSpan.FromSeconds(1)));
        Assert.Contains("rebuild it from storage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_without_a_record_releases_at_once()
    {
        var elector = new Elector(new ElectorConfig("n3", Group), null, TimeSpan.Zero, new Random(1));
        elector.ObserveDataNode(true, 0, TimeSpan.Zero).Release();
        var batch = elector.Tick(TimeSpan.FromMilliseconds(1));
        Assert.Null(batch.RecordToCommit);
        Assert.Equal(ElectionMessage.Heartbeat(1, "n3", Role.Replica, 0) with { Stamp = HeartbeatStamp.None }, Assert.Single(batch.Release().Messages).Message);
        Assert.Throws<InvalidOperationException>(() => batch.Committed());
    }

    [Fact]
    public void Heartbeats_in_and_out_never_touch_storage_once_the_primary_is_known()
    {
        var elector = new Elector(new ElectorConfig("n3", Group), new DurableRecord(4, null, null), TimeSpan.Zero, new Random(1));
        // The first heartbeat that teaches a primary is remembered like an announcement: one write.
        var learned = elector.Receive(ElectionMessage.Heartbeat(4, "n1", Role.Primary, 10), TimeSpan.Zero);
        Assert.Equal(new DurableRecord(4, null, new Announcement(4, "n1")), learned.RecordToCommit);
        learned.Committed();
        for (var i = 1; i < 20; i++)
        {
            var now = TimeSpan.FromMilliseconds(200 * i);
            Assert.Null(elector.ObserveDataNode(true, (ulong)i, now).RecordToCommit);
            Assert.Null(elector.Receive(ElectionMessage.Heartbeat(4, "n1", Role.Primary, 10), now).RecordToCommit);
            Assert.Null(elector.Receive(ElectionMessage.Heartbeat(4, "n2", Role.Replica, 10), now).RecordToCommit);
            Assert.Null(elector.Tick(now).RecordToCommit);
        }
    }
}
