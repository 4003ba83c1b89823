using System.Diagnostics;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Testing;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// Rule 14's monitor and classifier against real redis-server processes (each test its own, on a free port):
/// SIGKILL is certain death, seen when it happens; SIGSTOP and a closed idle connection are not.
/// </summary>
public sealed class DeathWatchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private sealed class Watched : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;
        private int _deaths;

        public Watched(RedisServer server)
        {
            var watch = new DataNodeDeathWatch(server.Host, server.Port, Retry);
            _run = Task.Run(() => watch.RunAsync(() =>
            {
                Interlocked.Increment(ref _deaths);
                Died.Release();
                return Task.CompletedTask;
            }, _stop.Token));
        }

        public SemaphoreSlim Died { get; } = new(0);

        public int Deaths => Volatile.Read(ref _deaths);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
            _stop.Dispose();
            Died.Dispose();
        }
    }

    /// <summary>The watch has its idle connection open: the server lists it and the asking connection.</summary>
    private static async Task WaitForWatchConnectionAsync(RedisServer server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Bound)
        {
            var list = await RawAsync(server, "*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n");
            if (list.Split("id=").Length - 1 >= 2)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail("the death watch never connected");
    }

    /// <summary>One command over a fresh raw connection (no client library, so no connections of its own to count); its reply.</summary>
    private static async Task<string> RawAsync(RedisServer server, string command)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command), SocketFlags.None, timeout.Token);
        var buffer = new byte[8192];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Fact]
    public async Task Sigkill_is_reported_once_and_at_once_and_again_after_a_restart()
    {
        await using var server = await RedisServer.StartAsync();
        await using var watched = new Watched(server);
        await WaitForWatchConnectionAsync(server);
        var killed = Stopwatch.StartNew();
        await server.KillAsync();
        Assert.True(await watched.Died.WaitAsync(Bound), "SIGKILL was not reported");
        output.WriteLine($"SIGKILL to report: {killed.Elapsed.TotalMilliseconds:0.0} ms");
        await Task.Delay(10 * Retry); // refused again and again meanwhile: still one report
        Assert.Equal(1, watched.Deaths);

        await server.StartAgainAsync();
        await WaitForWatchConnectionAsync(server);
        await server.KillAsync();
        Assert.True(await watched.Died.WaitAsync(Bound), "the second death was not reported");
        Assert.Equal(2, watched.Deaths);
    }

    [Fact]
    public async Task Sigstop_and_a_closed_idle_connection_are_not_death()
    {
        await using var server = await RedisServer.StartAsync();
        await using var watched = new Watched(server);
        await WaitForWatchConnectionAsync(server);
        server.Freeze(); // SIGSTOP: connects still complete in the kernel's backlog
        try
        {
            Assert.False(await watched.Died.WaitAsync(TimeSpan.FromSeconds(2)), "a hung redis-server was reported dead");
        }
        finally
        {
            server.Thaw();
        }
        // Closes every normal client but the asking one, the watch's included: its reconnect succeeds.
        Assert.StartsWith(":", await RawAsync(server, "*6\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTYPE\r\n$6\r\nnormal\r\n$6\r\nSKIPME\r\n$3\r\nyes\r\n"), StringComparison.Ordinal);
        Assert.False(await watched.Died.WaitAsync(TimeSpan.FromSeconds(1)), "a closed idle connection was reported as death");
        await WaitForWatchConnectionAsync(server);
        await server.KillAsync();
        Assert.True(await watched.Died.WaitAsync(Bound), "the watch stopped watching after its connection was closed");
        Assert.Equal(1, watched.Deaths);
    }

    [Fact]
    public async Task A_probe_refused_by_a_killed_node_is_certain_and_a_probe_of_a_hung_node_is_not()
    {
        await using var server = await RedisServer.StartAsync();
        await using var node = new RespDataNode(server.Host, server.Port, DataNodeKind.Redis, null, TimeSpan.FromSeconds(1));
        using (var ok = new CancellationTokenSource(Bound))
        {
            Assert.True((await node.ProbeAsync(ok.Token)).Answered);
        }
        server.Freeze();
        try
        {
            using var hung = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var timeout = await Assert.ThrowsAnyAsync<Exception>(() => node.ProbeAsync(hung.Token));
            Assert.False(CertainDeath.IsRefusal(timeout), timeout.ToString());
        }
        finally
        {
            server.Thaw();
        }
        await server.KillAsync();
        using var dead = new CancellationTokenSource(Bound);
        Exception? refused = null;
        // The first call after the kill may fail on the old connection (closed by the kernel); the next connects.
        for (var i = 0; i < 2 && !CertainDeath.IsRefusal(refused); i++)
        {
            refused = await Assert.ThrowsAnyAsync<Exception>(() => node.ProbeAsync(dead.Token));
        }
        Assert.True(CertainDeath.IsRefusal(refused), refused!.ToString());
    }
}
