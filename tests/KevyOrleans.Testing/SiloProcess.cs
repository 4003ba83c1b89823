using System.Diagnostics;

namespace KevyOrleans.Testing;

/// <summary>
/// The real silo executable (kevy-silo.dll, copied beside every project that references the silo) as a
/// child process: started with arguments in a working directory, its console output kept line by line,
/// stopped with SIGTERM or killed with SIGKILL by its own pid.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process)
    {
        _process = process;
    }

    public static string SiloDll => Path.Combine(AppContext.BaseDirectory, "kevy-silo.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Raised for every line the silo writes (stdout and stderr), on a reader thread.</summary>
    public event Action<string>? LineWritten;

    public static SiloProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, args, []);

    public static SiloProcess Start(string workingDirectory, string[] args, (string Name, string Value)[] environment)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Exited += (_, _) => silo._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Polls <c>/healthz</c> through <paramref name="admin"/> (the silo's admin API) until it answers 200; throws when the silo exits first or after <paramref name="within"/>.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient admin, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {ExitCode} before it served:\n{Tail()}");
            }
            try
            {
                using var response = await admin.GetAsync(new Uri("/healthz", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"the silo did not serve /healthz within {within.TotalSeconds} s:\n{Tail()}");
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    public string Output() => string.Join('\n', Lines());

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail(int lines = 60) => string.Join('\n', Lines().TakeLast(lines));

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        await _exited.Task.WaitAsync(within).ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false); // output fully drained
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crashed machine.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM, and the exit code once the silo has stopped by itself; throws if it did not within <paramref name="within"/>.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        _ = Signals.Terminate(_process.Id);
        return await WaitForExitAsync(within).ConfigureAwait(false);
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        _ = Signals.Terminate(_process.Id);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
        }
        LineWritten?.Invoke(line);
    }
}
