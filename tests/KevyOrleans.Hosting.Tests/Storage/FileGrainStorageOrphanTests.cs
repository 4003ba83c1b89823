using KevyOrleans.Hosting.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>
/// A crash between a write's flush and its rename leaves a temp file behind. The store removes its
/// own orphaned temp files when it starts, and never touches any other file in its directory.
/// </summary>
public sealed class FileGrainStorageOrphanTests : IDisposable
{
    private const string Provider = "kevy-file";
    private readonly string _root = Directory.CreateTempSubdirectory("kevy-orphans-").FullName;

    [Fact]
    public async Task Orphaned_temp_files_are_removed_at_start_and_nothing_else_is()
    {
        var grain = GrainId.Create("kevynode", $"orders/{Guid.NewGuid():N}");
        // A real record first, written by a silo over the directory.
        await using (var first = await StartAsync())
        {
            await first.GetStorage(Provider).WriteStateAsync("election", grain, new GrainState<TestState>(new TestState { Epoch = 4, Candidate = "n1" }));
        }
        var stateFile = StateFileName.For("election", grain).FileName;
        Assert.True(File.Exists(Path.Combine(_root, stateFile)));

        // What crashed writes and probes leave: the store's own pattern.
        string[] orphans =
        [
            $"{stateFile}.{Guid.NewGuid():N}{StateFileName.TempExtension}",
            $"election.kevynode.orders%2Fgone.state.{Guid.NewGuid():N}{StateFileName.TempExtension}", // of a record never renamed into place
            $".probe-{Guid.NewGuid():N}{StateFileName.TempExtension}",
        ];
        // Anything else stays, however close its name is.
        string[] others =
        [
            "notes.tmp",
            $"{stateFile}.tmp",
            $"{stateFile}.{Guid.NewGuid():N}".Remove(stateFile.Length + 32) + StateFileName.TempExtension, // 31 hex digits
            $"{stateFile}.{Guid.NewGuid():N}".ToUpperInvariant() + StateFileName.TempExtension,
            $"backup.{Guid.NewGuid():N}{StateFileName.TempExtension}",
            $"{stateFile}.{Guid.NewGuid():N}{StateFileName.TempExtension}.keep",
            "operator.state",
        ];
        foreach (var name in orphans.Concat(others))
        {
            await File.WriteAllBytesAsync(Path.Combine(_root, name), [1, 2, 3]);
        }
        var directory = Path.Combine(_root, $"{stateFile}.{Guid.NewGuid():N}{StateFileName.TempExtension}"); // a directory, not a file of ours
        Directory.CreateDirectory(directory);
        var nested = Path.Combine(_root, "sub", $"{stateFile}.{Guid.NewGuid():N}{StateFileName.TempExtension}"); // outside the store's own directory level
        Directory.CreateDirectory(Path.GetDirectoryName(nested)!);
        await File.WriteAllBytesAsync(nested, [1]);

        await using var second = await StartAsync();

        Assert.All(orphans, name => Assert.False(File.Exists(Path.Combine(_root, name)), $"{name} is an orphaned temp file and should be gone"));
        Assert.All(others, name => Assert.True(File.Exists(Path.Combine(_root, name)), $"{name} is not the store's temp file and must stay"));
        Assert.True(Directory.Exists(directory));
        Assert.True(File.Exists(nested));
        // The record itself is untouched and still reads.
        var state = new GrainState<TestState>();
        await second.GetStorage(Provider).ReadStateAsync("election", grain, state);
        Assert.Equal(4UL, state.State!.Epoch);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<StorageSilo> StartAsync() =>
        StorageSilo.StartAsync(silo => silo.AddKevyFileGrainStorage(Provider, o => o.RootDirectory = _root));
}
