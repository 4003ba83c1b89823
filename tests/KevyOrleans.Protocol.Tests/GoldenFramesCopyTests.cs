using System.Text.Json.Nodes;
using KevyOrleans.Protocol.Tests.Support;
using Xunit.Abstractions;

namespace KevyOrleans.Protocol.Tests;

/// <summary>
/// The repository keeps its own copy of the golden frames (tests/golden/frames.json) so that a clone
/// with nothing beside it passes. Where the shared original is present (as on CI), the two must agree.
/// </summary>
public sealed class GoldenFramesCopyTests(ITestOutputHelper output)
{
    [Fact]
    public void The_repository_copy_holds_both_sections()
    {
        Assert.True(GoldenFrames.Root.GetProperty("encode").GetArrayLength() > 0, "no encode entries in the repository copy");
        Assert.True(GoldenFrames.Root.GetProperty("decode").GetArrayLength() > 0, "no decode entries in the repository copy");
    }

    [Fact]
    public void The_repository_copy_agrees_with_the_shared_original_where_it_is_present()
    {
        if (GoldenFrames.SharedOriginal() is not { } shared)
        {
            output.WriteLine("no ../shared/golden/frames.json beside the repository: nothing to compare");
            return;
        }
        var copy = Path.Combine(RepoRoot(), "tests", "golden", "frames.json");
        var original = JsonNode.Parse(File.ReadAllText(shared));
        var ours = JsonNode.Parse(File.ReadAllText(copy));
        Assert.True(JsonNode.DeepEquals(original, ours),
            $"tests/golden/frames.json differs from {shared}: copy the shared file over {copy}");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("no KevyOrleans.sln above the test assembly");
    }
}
