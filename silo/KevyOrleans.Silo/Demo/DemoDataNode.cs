using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KevyOrleans.Silo.Demo;

/// <summary>
/// One redis-server the demo started, on a loopback port from <see cref="DemoPorts"/>, with its own
/// directory. The demo's own launcher: the executable uses no test code.
/// </summary>
public sealed class DemoDataNode(string id, string binary, int port, string directory) : IAsyncDisposable
{
    private Process? _process;

    public string Id { get; } = id;

    public int Port { get; } = port;

    public int ElectPort { get; } = DemoPorts.Next();

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Raised when the process exits for any reason (a kill -9 from the user, say), with the time it was noticed.</summary>
    public event Action<DemoDataNode, DateTimeOffset>? Exited;

    public async Task StartAsync()
    {
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var a in new[] { "--port", $"{Port}", "--bind", "127.0.0.1", "--daemonize", "no", "--save", "", "--appendonly", "no",
                     "--dir", directory, "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => Exited?.Invoke(this, DateTimeOffset.UtcNow);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
        throw new InvalidOperationException($"redis-server for {Id} did not listen on {Port}");
    }

    /// <summary>SIGKILL, as the demo's own "kill the primary".</summary>
    public void Kill()
    {
        try
        {
            _process?.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } p)
        {
            Exited = null; // the demo is stopping: this exit is not news
            Kill();
            await p.WaitForExitAsync().ConfigureAwait(false);
            p.Dispose();
        }
    }

    /// <summary>redis-server on PATH, or null.</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}
