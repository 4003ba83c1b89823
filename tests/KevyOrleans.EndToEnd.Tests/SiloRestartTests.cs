using KevyOrleans.EndToEnd.Tests.Harness;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>The silo process is killed (SIGKILL) the moment an election starts, and started again.</summary>
public sealed class SiloRestartTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Killing_the_silo_in_the_middle_of_an_election_never_makes_a_member_vote_twice_in_an_epoch()
    {
        await using var fleet = await Fleet.StartAsync(3);
        var primary = await fleet.WaitForWritablePrimaryAsync(Bound);

        for (var round = 0; round < 2; round++)
        {
            // The data node of the primary dies: an election begins about down_after later.
            var candidacy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var silo = fleet.Silo!;
            silo.LineWritten += line =>
            {
                if (line.Contains("BecameCandidate", StringComparison.Ordinal))
                {
                    _ = silo.KillAsync(); // at once, on the reader thread: mid-election
                    candidacy.TrySetResult();
                }
            };
            await primary.Redis.KillAsync();
            await candidacy.Task.WaitAsync(Bound);
            await silo.WaitForExitAsync(Bound);

            await fleet.StartSiloAsync();
            var next = await fleet.WaitForWritablePrimaryAsync(Bound, otherThan: primary.Id);
            await primary.Redis.StartAgainAsync();
            Assert.True(await Eventually.HoldsAsync(() => primary.FollowsAsync(next), Bound), $"{primary.Id} does not follow {next.Id}:\n{fleet.Silo!.Tail()}");
            primary = next;
        }

        var votes = VoteJournal.Read(fleet.Silos);
        Assert.NotEmpty(votes);
        var twice = votes.GroupBy(v => (v.Voter, v.Epoch)).Where(g => g.Select(v => v.Candidate).Distinct().Count() > 1).ToList();
        Assert.True(twice.Count == 0, "voted twice: " + string.Join("; ", twice.Select(g => $"{g.Key.Voter}@{g.Key.Epoch}: {string.Join(",", g)}")));
        // The votes span more than one silo incarnation: the restarts did happen between elections.
        Assert.True(votes.Select(v => v.SiloIncarnation).Distinct().Count() >= 2);

        // The file store agrees with what was released: each member's stored vote is its released vote of that epoch.
        var stored = StoredMemberRecords.Read(fleet.StorageDirectory, Fleet.GroupName, fleet.Nodes.Select(n => n.Id));
        Assert.Equal(3, stored.Count);
        foreach (var (id, record) in stored)
        {
            var released = votes.Where(v => v.Voter == id).ToList();
            Assert.All(released, v => Assert.True(record.Epoch >= v.Epoch, $"{id} stores epoch {record.Epoch} below its released vote {v}"));
            if (released.FirstOrDefault(v => v.Epoch == record.VoteEpoch) is { } same)
            {
                Assert.Equal(same.Candidate, record.VotedFor);
            }
        }

        var history = await fleet.Admin.GetHistoryAsync(Fleet.GroupName);
        Assert.Equal(history.Count, history.Select(h => h.Epoch).Distinct().Count());
    }
}
