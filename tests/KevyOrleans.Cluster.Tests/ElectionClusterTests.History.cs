using KevyOrleans.Testing;
using System.Diagnostics.Metrics;
using KevyOrleans.Abstractions;
using KevyOrleans.Cluster.Tests.Support;
using KevyOrleans.Grains;

namespace KevyOrleans.Cluster.Tests;

public abstract partial class ElectionClusterTests<TStore>
{
    [Fact]
    public async Task Two_primaries_recorded_for_one_epoch_raise_the_alarm_and_both_are_kept_as_evidence()
    {
        var group = cluster.Group("three");
        long alarms = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KevyMetrics.MeterName && instrument.Name == "kevy.election.conflicts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "group" && (string?)tag.Value == group)
                {
                    Interlocked.Add(ref alarms, value);
                }
            }
        });
        listener.Start();

        var history = cluster.GroupGrain("three");
        await history.RecordElection(new ElectionRecord(900, "n1", DateTimeOffset.UtcNow));
        await history.RecordElection(new ElectionRecord(900, "n1", DateTimeOffset.UtcNow)); // the same news twice: no alarm
        await history.RecordElection(new ElectionRecord(900, "n2", DateTimeOffset.UtcNow));
        // RecordElection is one-way (members never wait on their group): wait for the entries to land.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        List<ElectionRecord> entries;
        while ((entries = [.. (await history.GetHistory()).Where(h => h.Epoch == 900)]).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200); // and give a spurious third entry the chance to show
        entries = [.. (await history.GetHistory()).Where(h => h.Epoch == 900)];

        Assert.Equal(["n1", "n2"], entries.Select(e => e.Primary).Order());
        Assert.Equal(1, Interlocked.Read(ref alarms));
    }

    [Fact]
    public async Task A_settled_group_heartbeats_without_writing_storage()
    {
        await cluster.WaitForOnePrimary("five", 5);
        var name = cluster.Group("five");
        await Task.Delay(TimeSpan.FromMilliseconds(3 * KevyClusterFixture.HeartbeatMs)); // let the announcement settle
        var writes = StorageJournal.Writes.Count(w => w.Key.StartsWith(name + "/", StringComparison.Ordinal));
        var heartbeats = FrameJournal.ForGroup(name).Count();
        await Task.Delay(TimeSpan.FromMilliseconds(10 * KevyClusterFixture.HeartbeatMs));
        Assert.True(FrameJournal.ForGroup(name).Count() >= heartbeats + 5 * 4 * 5, "five members heartbeat to four peers every interval");
        Assert.Equal(writes, StorageJournal.Writes.Count(w => w.Key.StartsWith(name + "/", StringComparison.Ordinal)));
    }
}
