using KevyOrleans.Hosting.Storage;
using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>
/// What only the file storage promises: damaged files are errors naming the file, never an empty
/// state; writes are atomic and leave nothing behind; names are readable and bounded; writers in
/// two silos over one directory still exclude each other; a bad directory stops the silo.
/// </summary>
public sealed class FileGrainStorageFileTests(FileStorageFixture fixture) : IClassFixture<FileStorageFixture>
{
    private const string StateName = "election";

    private IGrainStorage Storage => fixture.Storage;

    [Fact]
    public async Task A_state_file_is_named_readably_after_its_state_name_grain_type_and_key()
    {
        var id = Guid.NewGuid().ToString("N");
        await WriteAsync(GrainId.Create("kevynode", $"orders/n1-{id}"), epoch: 1);

        Assert.True(File.Exists(Path.Combine(fixture.RootDirectory, $"election.kevynode.orders%2Fn1-{id}.state")));
    }

    [Fact]
    public async Task A_flipped_payload_byte_makes_reads_and_writes_throw_naming_the_file()
    {
        var (grain, path) = await WriteNewAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);

        var read = await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.ReadStateAsync(StateName, grain, new GrainState<TestState>()));
        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.WriteStateAsync(StateName, grain, new GrainState<TestState>(new TestState())));
    }

    [Theory]
    [InlineData(0, "truncated")]
    [InlineData(20, "truncated")]
    [InlineData(-1, "length mismatch")]
    public async Task A_truncated_file_throws_naming_the_file(int keep, string problem)
    {
        var (grain, path) = await WriteNewAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);

        var e = await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.ReadStateAsync(StateName, grain, new GrainState<TestState>()));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_the_magic_throws()
    {
        var (grain, path) = await WriteNewAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[0] = (byte)'X';
        await File.WriteAllBytesAsync(path, bytes);

        var e = await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.ReadStateAsync(StateName, grain, new GrainState<TestState>()));
        Assert.Contains("bad magic", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_formed_record_whose_payload_does_not_deserialize_throws()
    {
        var grain = NewGrainId();
        var name = StateFileName.For(StateName, grain);
        var path = Path.Combine(fixture.RootDirectory, name.FileName);
        await File.WriteAllBytesAsync(path, StateFileFormat.Encode(5, name.Identity, [0xFF, 0xFE, 0xFD, 0x00, 0x13]));

        var e = await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.ReadStateAsync(StateName, grain, new GrainState<TestState>()));
        Assert.Contains("does not deserialize", e.Problem, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_grains_file_under_this_grains_name_throws()
    {
        var (_, otherPath) = await WriteNewAsync();
        var grain = NewGrainId();
        File.Copy(otherPath, Path.Combine(fixture.RootDirectory, StateFileName.For(StateName, grain).FileName));

        var e = await Assert.ThrowsAsync<CorruptGrainStateException>(() => Storage.ReadStateAsync(StateName, grain, new GrainState<TestState>()));
        Assert.Contains("holds the state", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_conflicts_and_clears_leave_no_temp_files()
    {
        var grain = NewGrainId();
        var state = new GrainState<TestState>(new TestState { Epoch = 1 });
        for (var i = 0; i < 5; i++)
        {
            state.State!.Epoch++;
            await Storage.WriteStateAsync(StateName, grain, state);
        }
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grain, new GrainState<TestState>(new TestState())));
        await Storage.ClearStateAsync(StateName, grain, state);
        await Storage.WriteStateAsync(StateName, grain, state);

        var name = StateFileName.For(StateName, grain).FileName;
        var leftovers = Directory.GetFiles(fixture.RootDirectory, $"{name}*{StateFileName.TempExtension}");
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task A_write_interrupted_before_its_rename_leaves_the_previous_record_in_force()
    {
        var (grain, path) = await WriteNewAsync();
        var before = await ReadAsync(grain);
        // What a crash between flush and rename leaves: a complete newer record in a temp file.
        var identity = StateFileName.For(StateName, grain).Identity;
        var newer = StateFileFormat.Encode(ulong.Parse(before.ETag!, System.Globalization.CultureInfo.InvariantCulture) + 1, identity, [1, 2, 3]);
        var temp = $"{path}.{Guid.NewGuid():N}{StateFileName.TempExtension}";
        await File.WriteAllBytesAsync(temp, newer);

        var after = await ReadAsync(grain);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.State!.Epoch, after.State!.Epoch);
        after.State.Epoch = 77;
        await Storage.WriteStateAsync(StateName, grain, after);
        Assert.Equal(77UL, (await ReadAsync(grain)).State!.Epoch);
    }

    [Fact]
    public async Task A_very_long_key_gets_a_bounded_file_name_and_round_trips()
    {
        var grain = GrainId.Create("kevynode", "orders/" + new string('n', 600));
        await WriteAsync(grain, epoch: 3);

        var name = StateFileName.For(StateName, grain).FileName;
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= 255, name);
        Assert.True(File.Exists(Path.Combine(fixture.RootDirectory, name)));
        Assert.Equal(3UL, (await ReadAsync(grain)).State!.Epoch);
    }

    [Fact]
    public async Task Writers_in_two_silos_over_one_directory_still_let_exactly_one_win()
    {
        var grain = NewGrainId();
        var initial = new GrainState<TestState>(new TestState { Epoch = 1 });
        await Storage.WriteStateAsync(StateName, grain, initial);
        await using var second = await fixture.StartSiloAsync();
        var other = second.GetStorage(FileStorageFixture.ProviderName);

        for (var round = 0; round < 5; round++)
        {
            var current = await ReadAsync(grain);
            var storages = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? Storage : other).ToArray();
            var outcomes = await ConcurrentWrites.RunAsync(storages, StateName, grain, current.ETag);

            var winner = Assert.Single(outcomes, o => o.Error is null);
            Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.IsAssignableFrom<InconsistentStateException>(o.Error));
            Assert.Equal(winner.State.State!.Candidate, (await ReadAsync(grain)).State!.Candidate);
        }
    }

    [Fact]
    public async Task A_root_directory_that_cannot_be_created_stops_the_silo_naming_the_path()
    {
        var blocker = Path.Combine(fixture.RootDirectory, $"not-a-directory-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocker, "a file where the root's parent should be");
        var root = Path.Combine(blocker, "state");

        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            StorageSilo.StartAsync(silo => silo.AddKevyFileGrainStorage("bad", o => o.RootDirectory = root)));

        Assert.Contains($"root directory '{root}' is not a writable directory", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_root_directory_stops_the_silo_naming_the_option()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            StorageSilo.StartAsync(silo => silo.AddKevyFileGrainStorage("unset", o => o.RootDirectory = " ")));

        Assert.Contains("File grain storage 'unset': RootDirectory is empty", e.ToString(), StringComparison.Ordinal);
    }

    private static GrainId NewGrainId() => GrainId.Create("kevynode", $"orders/{Guid.NewGuid():N}");

    private async Task WriteAsync(GrainId grain, ulong epoch) =>
        await Storage.WriteStateAsync(StateName, grain, new GrainState<TestState>(new TestState { Epoch = epoch, Candidate = "n1" }));

    private async Task<(GrainId Grain, string Path)> WriteNewAsync()
    {
        var grain = NewGrainId();
        await WriteAsync(grain, epoch: 2);
        return (grain, Path.Combine(fixture.RootDirectory, StateFileName.For(StateName, grain).FileName));
    }

    private async Task<GrainState<TestState>> ReadAsync(GrainId grain)
    {
        var state = new GrainState<TestState>();
        await Storage.ReadStateAsync(StateName, grain, state);
        return state;
    }
}
