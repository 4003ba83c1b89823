using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>
/// What every grain storage KevyOrleans uses must do, run against each provider by a subclass:
/// the ETag compare-and-swap that lets only one of two activations of a grain write, durability
/// across a silo restart, and isolation between grain ids and state names.
/// </summary>
public abstract class GrainStorageConformanceTests
{
    protected const string StateName = "election";

    /// <summary>The provider under test, initialized by a running silo.</summary>
    protected abstract IGrainStorage Storage { get; }

    /// <summary>Starts another silo over the same durable data: what a restarted silo sees.</summary>
    protected abstract Task<StorageSilo> StartSecondSiloAsync();

    /// <summary>The provider's name inside the silos above.</summary>
    protected abstract string ProviderName { get; }

    [Fact]
    public async Task Reading_a_missing_record_gives_a_fresh_state_without_ETag()
    {
        var state = new GrainState<TestState>(new TestState { Epoch = 9, Candidate = "stale" }, "42") { RecordExists = true };

        await Storage.ReadStateAsync(StateName, NewGrainId(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0UL, state.State!.Epoch);
        Assert.Null(state.State!.Candidate);
    }

    [Fact]
    public async Task A_write_is_read_back_by_a_new_state_object_with_the_ETag_the_write_set()
    {
        var grain = NewGrainId();
        var written = new GrainState<TestState>(new TestState { Epoch = 7, Candidate = "n2" });

        await Storage.WriteStateAsync(StateName, grain, written);
        var read = await ReadAsync(grain);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(7UL, read.State!.Epoch);
        Assert.Equal("n2", read.State!.Candidate);
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_throws_and_leaves_the_stored_record_unchanged()
    {
        var grain = NewGrainId();
        var first = new GrainState<TestState>(new TestState { Epoch = 1, Candidate = "n1" });
        await Storage.WriteStateAsync(StateName, grain, first);
        var staleETag = first.ETag;
        var second = new GrainState<TestState>(new TestState { Epoch = 2, Candidate = "n2" }, staleETag);
        await Storage.WriteStateAsync(StateName, grain, second);
        Assert.NotEqual(staleETag, second.ETag);

        var loser = new GrainState<TestState>(new TestState { Epoch = 3, Candidate = "n3" }, staleETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, loser));

        var read = await ReadAsync(grain);
        Assert.Equal(second.ETag, read.ETag);
        Assert.Equal(2UL, read.State!.Epoch);
        Assert.Equal("n2", read.State!.Candidate);
    }

    [Fact]
    public async Task A_write_without_ETag_over_an_existing_record_throws()
    {
        var grain = NewGrainId();
        await Storage.WriteStateAsync(StateName, grain, new GrainState<TestState>(new TestState { Epoch = 1 }));

        var blind = new GrainState<TestState>(new TestState { Epoch = 5 });
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, blind));

        Assert.Equal(1UL, (await ReadAsync(grain)).State!.Epoch);
    }

    [Fact]
    public async Task A_write_with_an_ETag_when_no_record_exists_throws()
    {
        var grain = NewGrainId();
        var other = NewGrainId();
        var elsewhere = new GrainState<TestState>(new TestState { Epoch = 1 });
        await Storage.WriteStateAsync(StateName, other, elsewhere);

        var confused = new GrainState<TestState>(new TestState { Epoch = 2 }, elsewhere.ETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, confused));

        Assert.False((await ReadAsync(grain)).RecordExists);
    }

    [Fact]
    public async Task Clear_removes_the_record_and_resets_the_state()
    {
        var grain = NewGrainId();
        var state = new GrainState<TestState>(new TestState { Epoch = 4, Candidate = "n1" });
        await Storage.WriteStateAsync(StateName, grain, state);

        await Storage.ClearStateAsync(StateName, grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0UL, state.State!.Epoch);
        var read = await ReadAsync(grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Clear_with_a_stale_ETag_throws_and_keeps_the_record()
    {
        var grain = NewGrainId();
        var state = new GrainState<TestState>(new TestState { Epoch = 1 });
        await Storage.WriteStateAsync(StateName, grain, state);
        var staleETag = state.ETag;
        state.State!.Epoch = 2;
        await Storage.WriteStateAsync(StateName, grain, state);

        var stale = new GrainState<TestState>(new TestState(), staleETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grain, stale));

        var read = await ReadAsync(grain);
        Assert.True(read.RecordExists);
        Assert.Equal(2UL, read.State!.Epoch);
    }

    [Fact]
    public async Task An_ETag_from_before_a_clear_is_refused_once_the_record_is_written_again()
    {
        var grain = NewGrainId();
        var old = new GrainState<TestState>(new TestState { Epoch = 1 });
        await Storage.WriteStateAsync(StateName, grain, old);
        var oldETag = old.ETag;
        await Storage.ClearStateAsync(StateName, grain, old);
        await Storage.WriteStateAsync(StateName, grain, new GrainState<TestState>(new TestState { Epoch = 2 }));

        var stale = new GrainState<TestState>(new TestState { Epoch = 99 }, oldETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, stale));

        Assert.Equal(2UL, (await ReadAsync(grain)).State!.Epoch);
    }

    [Fact]
    public async Task Of_eight_concurrent_writers_holding_one_ETag_exactly_one_wins()
    {
        var grain = NewGrainId();
        var initial = new GrainState<TestState>(new TestState { Epoch = 1 });
        await Storage.WriteStateAsync(StateName, grain, initial);

        var outcomes = await ConcurrentWrites.RunAsync(Enumerable.Repeat(Storage, 8).ToArray(), StateName, grain, initial.ETag);

        var winner = Assert.Single(outcomes, o => o.Error is null);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsAssignableFrom<InconsistentStateException>(o.Error));
        var read = await ReadAsync(grain);
        Assert.Equal(winner.State.ETag, read.ETag);
        Assert.Equal(winner.State.State!.Candidate, read.State!.Candidate);
    }

    [Fact]
    public async Task A_restarted_silo_reads_what_the_previous_one_wrote()
    {
        var grain = NewGrainId();
        var written = new GrainState<TestState>(new TestState { Epoch = 12, Candidate = "n3" });
        await Storage.WriteStateAsync(StateName, grain, written);

        await using var restarted = await StartSecondSiloAsync();
        var read = new GrainState<TestState>();
        await restarted.GetStorage(ProviderName).ReadStateAsync(StateName, grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(12UL, read.State!.Epoch);
        Assert.Equal("n3", read.State!.Candidate);
    }

    [Fact]
    public async Task Distinct_grain_ids_and_state_names_never_share_a_record()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] keys =
        [
            "orders/n1", "orders/n1 ", "orders%2Fn1", "orders%252Fn1", "orders_n1", "orders.n1", "orders\\n1",
            "orders#n1", "orders?n1", "Orders/n1", "orders/n1/x", "ordersn1", "orders/ñ1", "orders/n~1",
        ];
        string[] stateNames = [StateName, "election.v2", "election/v2", "election_v2"];
        var expected = new List<(string State, GrainId Grain, string Value)>();
        foreach (var stateName in stateNames)
        {
            foreach (var key in keys)
            {
                var grain = GrainId.Create("kevynode", $"{run}-{key}");
                var value = $"{stateName}|{key}";
                var state = new GrainState<TestState>(new TestState { Candidate = value });
                await Storage.WriteStateAsync(stateName, grain, state);
                expected.Add((stateName, grain, value));
            }
        }

        foreach (var (stateName, grain, value) in expected)
        {
            var read = new GrainState<TestState>();
            await Storage.ReadStateAsync(stateName, grain, read);
            Assert.Equal(value, read.State!.Candidate);
        }
    }

    protected static GrainId NewGrainId() => GrainId.Create("kevynode", $"orders/{Guid.NewGuid():N}");

    protected async Task<GrainState<TestState>> ReadAsync(GrainId grain)
    {
        var state = new GrainState<TestState>();
        await Storage.ReadStateAsync(StateName, grain, state);
        return state;
    }
}
