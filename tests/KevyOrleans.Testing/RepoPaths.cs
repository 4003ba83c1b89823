namespace KevyOrleans.Testing;

/// <summary>Paths inside the repository, found from wherever the test assembly runs.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The directory that holds KevyOrleans.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>tests/node_modules/.bin: the npm tools the test command installs.</summary>
    public static string NodeBin => Path.Combine(Root, "tests", "node_modules", ".bin");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No KevyOrleans.sln above {AppContext.BaseDirectory}; tests must run from a clone of the repository.");
    }
}
