using System.Collections.Concurrent;
using System.Diagnostics;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>
/// A client program of another implementation (redis-cli, a Node.js script) as a child process: its
/// output kept line by line, waited on for a line, and killed by its own pid when disposed.
/// </summary>
public sealed class ClientProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private ClientProcess(Process process) => _process = process;

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public static ClientProcess Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = start };
        var client = new ClientProcess(process);
        process.OutputDataReceived += (_, e) => client.Append(e.Data);
        process.ErrorDataReceived += (_, e) => client.Append(e.Data is null ? null : $"stderr: {e.Data}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Runs <paramref name="program"/> to its end (at most <paramref name="within"/>) and returns its output.</summary>
    public static async Task<string> RunAsync(TimeSpan within, string program, params string[] args)
    {
        await using var client = Start(program, args);
        using var timeout = new CancellationTokenSource(within);
        await client._process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return string.Join('\n', client._lines);
    }

    /// <summary>The first line (from the start of the output) that <paramref name="match"/> accepts; null when none came within <paramref name="within"/>.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
    }

    public string Output() => string.Join('\n', _lines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // it ended meanwhile
            }
        }
        _process.Dispose();
        _arrived.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _arrived.Release();
        }
    }
}
