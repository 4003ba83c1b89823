using System.Diagnostics;
using System.Globalization;
using KevyOrleans.Abstractions;
using KevyOrleans.Grains.DataNodes.Resp;
using KevyOrleans.Protocol;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.Silo.Demo;

/// <summary>
/// Watches the demo group and tells the story: who is primary, a data node that died, how long until
/// a successor accepted a write (measured by writing to every survivor until one takes it), and the
/// dead node coming back as a replica of the new primary.
/// </summary>
internal sealed class DemoNarrator(IGrainFactory grains, IReadOnlyList<DemoDataNode> nodes, TimeSpan downAfter, TextWriter output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RestartAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _primary;
    private TaskCompletionSource<bool>? _rejoined;

    public async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        foreach (var n in nodes)
        {
            n.Exited += (node, at) => _ = OnDataNodeDiedAsync(node, Stopwatch.GetTimestamp(), cancellationToken);
        }
        var killScheduled = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = await grains.GetGrain<IGroupGrain>(DemoCommand.Group).GetStatus().ConfigureAwait(false);
            if (status.Primary is { } p && p != _primary && AllKnow(status, p))
            {
                _primary = p;
                var node = nodes.Single(n => n.Id == p);
                Say($"{p} is primary in epoch {status.Epoch}. Kill its data node to see a failover:  kill -9 {node.ProcessId}");
                if (options.KillPrimaryAfter is { } after && !killScheduled)
                {
                    killScheduled = true;
                    _ = KillLaterAsync(node, after, cancellationToken);
                }
            }
            if (options.ExitAfterFailover && _rejoined is { Task.IsCompleted: true } done)
            {
                return await done.Task.ConfigureAwait(false) ? 0 : 1;
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    private static bool AllKnow(GroupStatus status, string primary) =>
        status.Members.Where(m => m.Hosted).All(m => m.Id == primary ? m.Role == Role.Primary : m.KnownPrimary == primary);

    private async Task KillLaterAsync(DemoDataNode node, TimeSpan after, CancellationToken cancellationToken)
    {
        await Task.Delay(after, cancellationToken).ConfigureAwait(false);
        Say($"killing {node.Id}'s redis-server (pid {node.ProcessId}) with SIGKILL, as --kill-primary-after asked");
        node.Kill();
    }

    private async Task OnDataNodeDiedAsync(DemoDataNode dead, long diedAt, CancellationToken cancellationToken)
    {
        var wasPrimary = dead.Id == _primary;
        Say($"{dead.Id}'s redis-server exited{(wasPrimary ? " (the primary)" : "")}. Its member stops heartbeating; "
            + (wasPrimary ? $"the others elect a successor once it has been silent for down_after ({downAfter.TotalMilliseconds:0} ms)." : "the primary carries on."));
        var rejoined = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var successor = wasPrimary ? await FirstToTakeAWriteAsync(dead, diedAt, cancellationToken).ConfigureAwait(false) : _primary;
            await Task.Delay(RestartAfter, cancellationToken).ConfigureAwait(false);
            Say($"restarting {dead.Id}'s redis-server: it comes back empty and as a master; its member tells it to follow {successor}.");
            await dead.StartAsync().ConfigureAwait(false);
            var follows = successor is not null && await FollowsAsync(dead, nodes.Single(n => n.Id == successor), cancellationToken).ConfigureAwait(false);
            Say(follows ? $"{dead.Id} replicates from {successor} again (pid {dead.ProcessId}). The group is whole."
                        : $"{dead.Id} did not rejoin within {FailoverBound.TotalSeconds:0} s; see the status page and the log.");
            rejoined.TrySetResult(follows);
        }
        catch (OperationCanceledException)
        {
            rejoined.TrySetResult(false);
        }
        catch (TimeoutException e)
        {
            Say(e.Message);
            rejoined.TrySetResult(false);
        }
        _rejoined = rejoined;
    }

    /// <summary>Writes to every survivor until one accepts: the moment the group is writable again.</summary>
    private async Task<string> FirstToTakeAWriteAsync(DemoDataNode dead, long diedAt, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(FailoverBound.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var n in nodes.Where(n => n != dead))
            {
                if (await TryWriteAsync(n, cancellationToken).ConfigureAwait(false))
                {
                    var took = Stopwatch.GetElapsedTime(diedAt);
                    Say(string.Create(CultureInfo.InvariantCulture,
                        $"{n.Id} accepted a write {took.TotalSeconds:0.00} s after {dead.Id}'s data node died (failover: kill to writable)."));
                    return n.Id;
                }
            }
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException($"no survivor accepted a write within {FailoverBound.TotalSeconds:0} s of {dead.Id}'s death");
    }

    private static async Task<bool> TryWriteAsync(DemoDataNode node, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(200));
        await using var client = new RespClient("127.0.0.1", node.Port);
        try
        {
            await client.ExecuteAsync(["SET", "demo:failover-probe", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)], timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false; // a replica says READONLY; a dead node refuses the connection
        }
    }

    private static async Task<bool> FollowsAsync(DemoDataNode node, DemoDataNode primary, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(FailoverBound.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
            await using var client = new RespClient("127.0.0.1", node.Port);
            try
            {
                var info = (await client.ExecuteAsync(["INFO", "replication"], timeout.Token).ConfigureAwait(false)).Text ?? "";
                if (info.Contains("role:slave", StringComparison.Ordinal)
                    && info.Contains(string.Create(CultureInfo.InvariantCulture, $"master_port:{primary.Port}\r"), StringComparison.Ordinal)
                    && info.Contains("master_link_status:up", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    private void Say(string line)
    {
        lock (output)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:0.00} s] {line}"));
        }
    }
}
