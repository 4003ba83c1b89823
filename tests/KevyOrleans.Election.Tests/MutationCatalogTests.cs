using KevyOrleans.Mutations;

namespace KevyOrleans.Election.Tests;

/// <summary>
/// The mutation list (tests/KevyOrleans.Mutations) stays applicable: every find-text occurs exactly
/// once in the current sources, so a refactoring cannot silently turn a mutation into a no-op.
/// </summary>
public sealed class MutationCatalogTests
{
    public static TheoryData<string> Names => [.. MutationCatalog.All.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_edit_of_the_mutation_applies_exactly_once(string name)
    {
        var root = Root();
        var mutation = MutationCatalog.All.Single(m => m.Name == name);
        Assert.NotEmpty(mutation.Edits);
        foreach (var edit in mutation.Edits)
        {
            var text = File.ReadAllText(Path.Combine(root, edit.File));
            var first = text.IndexOf(edit.Find, StringComparison.Ordinal);
            Assert.True(first >= 0, $"{name}: '{edit.Find}' not found in {edit.File}");
            Assert.True(text.IndexOf(edit.Find, first + 1, StringComparison.Ordinal) < 0, $"{name}: '{edit.Find}' occurs more than once in {edit.File}");
            Assert.NotEqual(edit.Find, edit.Replace);
        }
    }

    [Fact]
    public void Mutation_names_are_unique() =>
        Assert.Equal(MutationCatalog.All.Count, MutationCatalog.All.Select(m => m.Name).Distinct().Count());

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("KevyOrleans.sln not found above the test's directory");
    }
}
