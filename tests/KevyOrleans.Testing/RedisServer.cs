using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace KevyOrleans.Testing;

/// <summary>
/// A real redis-server process on a free loopback port, with its own directory and no persistence,
/// started and stopped by its own pid. It can be killed (SIGKILL) and started again on the same port,
/// as a crashed data node that comes back. tests/run.sh installs redis-server where it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly StringBuilder _output = new();
    private readonly string? _password;
    private string? _sentinelConfig;
    private Process? _process;

    private RedisServer(int port, string? password)
    {
        Port = port;
        _password = password;
        Directory.CreateDirectory(DataDirectory);
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"kevy-redis-{Guid.NewGuid():N}");

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>The redis-server binary: <c>KEVY_REDIS_SERVER</c>, else the first on PATH.</summary>
    public static string Binary
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("KEVY_REDIS_SERVER");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, "redis-server");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException(
                "redis-server is not installed. Run tests/run.sh, which installs it, or `apt-get install -y redis-server`.");
        }
    }

    /// <summary>Starts a redis-server on a free port (and <paramref name="password"/> as requirepass, if given).</summary>
    public static async Task<RedisServer> StartAsync(string? password = null, int? port = null)
    {
        var server = new RedisServer(port ?? FreePort.Get(), password);
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// A Redis Sentinel (<c>redis-server sentinel.conf --sentinel</c>) on a free port, with <paramref name="monitor"/>
    /// (the <c>sentinel ...</c> lines) in a config file of its own directory: Sentinel rewrites that file as it learns.
    /// </summary>
    public static async Task<RedisServer> StartSentinelAsync(string monitor)
    {
        var server = new RedisServer(FreePort.Get(), password: null);
        server._sentinelConfig = Path.Combine(server.DataDirectory, "sentinel.conf");
        await File.WriteAllTextAsync(server._sentinelConfig,
            $"port {server.Port}\nbind 127.0.0.1\nprotected-mode no\ndaemonize no\ndir {server.DataDirectory}\nloglevel warning\n{monitor}\n").ConfigureAwait(false);
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the process (again) on the same port; its data is gone, as after a crash without persistence.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"redis-server on port {Port} is already running");
        }
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        var args = _sentinelConfig is { } config ? [config, "--sentinel"] : new List<string>
        {
            "--port", $"{Port}", "--bind", "127.0.0.1", "--daemonize", "no", "--save", "", "--appendonly", "no",
            "--dir", DataDirectory, "--protected-mode", "no", "--repl-diskless-sync", "yes",
            "--repl-diskless-sync-delay", "0", "--loglevel", "warning",
        };
        if (_password is not null)
        {
            args.AddRange(["--requirepass", _password, "--masterauth", _password]);
        }
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync(process).ConfigureAwait(false);
    }

    /// <summary>SIGKILL, as a crash: no shutdown, no goodbye to replicas.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGSTOP: a hung data node (its port stays open, nothing answers) until <see cref="Thaw"/>.</summary>
    public void Freeze() => Signals.Stop(_process!.Id);

    public void Thaw() => Signals.Continue(_process!.Id);

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilListeningAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before listening on {Port}:\n{Output()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
        await KillAsync().ConfigureAwait(false);
        throw new TimeoutException($"redis-server did not listen on {Port} within {StartTimeout.TotalSeconds} s:\n{Output()}");
    }
}
