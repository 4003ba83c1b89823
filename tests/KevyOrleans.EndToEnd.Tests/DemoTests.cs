using KevyOrleans.EndToEnd.Tests.Harness;
using KevyOrleans.Testing;

namespace KevyOrleans.EndToEnd.Tests;

/// <summary>The README's run command, as a newcomer runs it (plus the flags that make it end by itself).</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_fails_over_narrates_it_and_cleans_up_after_itself()
    {
        var directory = Directory.CreateTempSubdirectory("kevy-demo-test-").FullName;
        try
        {
            var admin = $"http://127.0.0.1:{FreePort.Get()}";
            await using var demo = SiloProcess.Start(directory, "demo", "--admin-url", admin, "--kill-primary-after", "1", "--exit-after-failover");
            var code = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));
            var output = demo.Output();
            Assert.True(code == 0, $"exit code {code}:\n{output}");
            Assert.Contains($"status page: {admin}/", output, StringComparison.Ordinal);
            Assert.Matches(@"Sentinel endpoint: 127\.0\.0\.1:\d+ .*SENTINEL get-master-addr-by-name demo", output);
            Assert.Matches(@"n\d is primary in epoch \d+", output);
            Assert.Matches(@"n\d accepted a write \d+\.\d\d s after n\d's data node died", output);
            Assert.Matches(@"n\d replicates from n\d again", output);
            Assert.Contains("demo stopped", output, StringComparison.Ordinal);
            // Everything it started is gone: no redis-server it printed is still running.
            foreach (var pid in System.Text.RegularExpressions.Regex.Matches(output, @"redis-server pid (\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.False(IsRunning(pid), $"redis-server {pid} outlived the demo");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_says_what_to_install_when_redis_server_is_missing()
    {
        var directory = Directory.CreateTempSubdirectory("kevy-demo-test-").FullName;
        try
        {
            await using var demo = SiloProcess.Start(directory, ["demo"], [("PATH", "/nonexistent")]);
            var code = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, code);
            Assert.Contains("redis-server is not installed", demo.Output(), StringComparison.Ordinal);
            Assert.Contains("apt-get install -y redis-server", demo.Output(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool IsRunning(int pid)
    {
        // A zombie or a recycled pid would show in /proc too; the demo's children are reaped, so the directory is gone.
        var stat = $"/proc/{pid}/cmdline";
        return File.Exists(stat) && File.ReadAllText(stat).Contains("redis-server", StringComparison.Ordinal);
    }
}
