using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace KevyOrleans.Testing;

/// <summary>
/// A real Azurite (Azure Blob, Queue and Table emulator) on free loopback ports with its own fresh
/// data directory, for one test class or collection. It is the npm package pinned in
/// tests/package.json; tests/run.sh installs it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's documented well-known development account; it exists only inside the emulator.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Node loads Azurite's modules slowly when every test project starts at once on two loaded cores (seen: over 30 s).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int BlobPort { get; } = FreePort.Get();
    public int QueuePort { get; } = FreePort.Get();
    public int TablePort { get; } = FreePort.Get();

    /// <summary>Azurite's data directory, deleted on dispose.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"kevy-azurite-{Guid.NewGuid():N}");

    public Uri BlobEndpoint => Endpoint(BlobPort);
    public Uri QueueEndpoint => Endpoint(QueuePort);
    public Uri TableEndpoint => Endpoint(TablePort);

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(RepoPaths.NodeBin, "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({azurite} is missing). Run `npm ci --prefix tests` in {RepoPaths.Root}, or run tests/run.sh, which does it.");
        }
        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--location", DataDirectory, "--silent", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForTablePortAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            await StopAsync(process).ConfigureAwait(false);
            process.Dispose();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created: InitializeAsync failed before.
        }
    }

    private static Uri Endpoint(int port) => new($"http://127.0.0.1:{port}/{AccountName}");

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private async Task WaitForTablePortAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening. Its output:\n{Output()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", TablePort).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        await StopAsync(_process!).ConfigureAwait(false);
        throw new TimeoutException($"Azurite's table port {TablePort} did not accept connections within {StartTimeout.TotalSeconds} s. Its output:\n{Output()}");
    }

    /// <summary>
    /// SIGTERM first so Azurite can close its files; it was seen to linger for seconds after it, so
    /// after a grace period the whole process tree is killed. Process.Kill would be SIGKILL at once.
    /// </summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        if (!OperatingSystem.IsWindows())
        {
            _ = Signals.Terminate(process.Id);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Still running after the grace period.
            }
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return; // Exited between the check and the kill.
        }
        await process.WaitForExitAsync().ConfigureAwait(false);
    }
}
