using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KevyOrleans.Mutations;

/// <summary>
/// Applies each mutation of <see cref="MutationCatalog"/> to a copy of the elector's sources and runs the
/// simulation's random schedules on the copy, expecting a failure for every group size. One command:
/// <c>dotnet run --project tests/KevyOrleans.Mutations -c Release [-- --schedules 2000] [--only name]</c>.
/// Prints a markdown table (mutation, size, caught by, failing schedules, first failing schedule) and
/// exits 1 when some mutation survived for some size.
/// </summary>
internal static partial class Program
{
    private static readonly string[] Copied =
    [
        "Directory.Build.props", "Directory.Packages.props", ".editorconfig",
        "src/KevyOrleans.Protocol", "src/KevyOrleans.Election", "tests/KevyOrleans.Election.Tests",
        "tests/KevyOrleans.Mutations/MutationCatalog.cs",
    ];

    private static int Main(string[] args)
    {
        var schedules = Option(args, "--schedules") ?? "2000";
        var only = Option(args, "--only");
        var root = FindRoot();
        var commit = Run(root, "git", "rev-parse --short HEAD").Output.Trim();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Mutations run on {commit}, {schedules} schedules per size.");
        report.AppendLine();
        report.AppendLine("| mutation | size | caught by | failing schedules | first failing schedule |");
        report.AppendLine("|---|---|---|---|---|");
        var survived = 0;
        foreach (var mutation in MutationCatalog.All.Where(m => only is null || m.Name == only))
        {
            var started = Stopwatch.StartNew();
            var copy = Path.Combine(Path.GetTempPath(), "kevy-mutation-" + mutation.Name);
            Prepare(root, copy, mutation);
            var build = Run(copy, "dotnet", "build tests/KevyOrleans.Election.Tests -c Release -p:TreatWarningsAsErrors=false");
            if (build.ExitCode != 0)
            {
                Console.Error.WriteLine(build.Output);
                throw new InvalidOperationException($"mutation {mutation.Name} does not build");
            }
            var test = Run(copy, "dotnet", "test tests/KevyOrleans.Election.Tests -c Release --no-build --filter FullyQualifiedName~Random_schedules_hold_safety_and_liveness",
                ("KEVY_SIM_SCHEDULES", schedules));
            foreach (var size in new[] { 3, 5, 7 })
            {
                var (caughtBy, failing, first) = Parse(test.Output, size);
                survived += caughtBy is null ? 1 : 0;
                var row = $"| {mutation.Name} | {size} | {caughtBy ?? "NOT CAUGHT"} | {failing ?? "0"} of {schedules} | {first?.ToString(CultureInfo.InvariantCulture) ?? "-"} |";
                report.AppendLine(row);
                Console.Error.WriteLine(row); // as it comes: a long run can be read while it goes on
            }
            Console.Error.WriteLine($"{mutation.Name}: {started.Elapsed.TotalSeconds:0} s");
            Directory.Delete(copy, recursive: true);
        }
        Console.WriteLine(report);
        return survived == 0 ? 0 : 1;
    }

    /// <summary>The invariant of the first failing schedule of <paramref name="size"/>, how many failed, and the first one's number (1-based).</summary>
    private static (string? CaughtBy, string? Failing, int? First) Parse(string output, int size)
    {
        var m = FailureBlock().Matches(output).FirstOrDefault(x => x.Groups["size"].Value == size.ToString(CultureInfo.InvariantCulture));
        if (m is null)
        {
            return (null, null, null);
        }
        var seed = int.Parse(m.Groups["seed"].Value, CultureInfo.InvariantCulture);
        return (m.Groups["what"].Value, m.Groups["count"].Value, seed);
    }

    [GeneratedRegex(@"(?<count>\d+) of \d+ schedules failed;.*?KEVY_SIM_REPLAY=(?<size>\d+):(?<seed>\d+).*?First: (?<what>S\d|E\d|liveness)", RegexOptions.Singleline)]
    private static partial Regex FailureBlock();

    private static void Prepare(string root, string copy, Mutation mutation)
    {
        if (Directory.Exists(copy))
        {
            Directory.Delete(copy, recursive: true);
        }
        foreach (var item in Copied)
        {
            var from = Path.Combine(root, item);
            var to = Path.Combine(copy, item);
            if (File.Exists(from))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(from, file);
                if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                {
                    continue;
                }
                var target = Path.Combine(to, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        foreach (var edit in mutation.Edits)
        {
            var path = Path.Combine(copy, edit.File);
            var text = File.ReadAllText(path);
            var at = text.IndexOf(edit.Find, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(edit.Find, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"mutation {mutation.Name}: the text to find must occur exactly once in {edit.File}");
            }
            File.WriteAllText(path, string.Concat(text.AsSpan(0, at), edit.Replace, text.AsSpan(at + edit.Find.Length)));
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KevyOrleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository (KevyOrleans.sln not found)");
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static (int ExitCode, string Output) Run(string dir, string file, string arguments, params (string Key, string Value)[] env)
    {
        var psi = new ProcessStartInfo(file, arguments) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
