using System.Diagnostics;
using System.Reflection;

namespace KevyOrleans.Infra.Tests;

/// <summary>Where the repository and the Bicep CLI restored from NuGet are (paths baked in at build time).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string ReadAll(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The bicep binary of the Azure.Bicep.CommandLine.linux-x64 package (tools/bicep), made executable.</summary>
    public static string Bicep { get; } = FindBicep();

    private static string FindBicep()
    {
        var root = Metadata("BicepPackageRoot");
        var path = Path.Combine(root, "tools", "bicep");
        Assert.True(File.Exists(path), $"the Bicep CLI is not at {path}: restore the solution (dotnet restore KevyOrleans.sln)");
        // The package is the linux-x64 CLI; NuGet may extract it without the execute bit.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the infra tests run the linux-x64 Bicep CLI");
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"assembly metadata {key} is missing: the test project's build sets it");
}

/// <summary>What a finished process printed.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Stdout}{Environment.NewLine}stderr: {Stderr}";
}

internal static class Processes
{
    /// <summary>Runs <paramref name="file"/> to completion, or kills it (and its children) after <paramref name="timeout"/> and fails.</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s (killed)");
        }
        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
