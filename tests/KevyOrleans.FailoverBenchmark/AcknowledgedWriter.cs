using System.Globalization;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>
/// Writes to the primary in a loop, each <c>SET</c> followed by <c>WAIT 1</c>: a write counts as acknowledged only
/// when WAIT says a replica has it, which is what a client relying on WAIT would take as safe.
/// </summary>
internal sealed class AcknowledgedWriter : IAsyncDisposable
{
    private const int WaitTimeoutMs = 500;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _acknowledged = [];
    private readonly Task _loop;

    private AcknowledgedWriter(int port, string prefix) => _loop = Task.Run(() => WriteAsync(port, prefix));

    public int Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count;
            }
        }
    }

    public static AcknowledgedWriter Start(int port, string prefix) => new(port, prefix);

    /// <summary>Ends the loop (a command in flight finishes or fails first) and returns the acknowledged keys.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_acknowledged)
        {
            return [.. _acknowledged];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WriteAsync(int port, string prefix)
    {
        await using var connection = new NodeConnection(port);
        var timeout = TimeSpan.FromMilliseconds(2 * WaitTimeoutMs);
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{i}");
            var set = await connection.TryCallAsync(timeout, "SET", key, "v").ConfigureAwait(false);
            if (set is not { Kind: RespKind.SimpleString })
            {
                await Task.Delay(5).ConfigureAwait(false); // the primary is gone or refuses: wait to be stopped
                continue;
            }
            var wait = await connection.TryCallAsync(timeout, "WAIT", "1", $"{WaitTimeoutMs}").ConfigureAwait(false);
            if (wait is { Kind: RespKind.Integer, Integer: >= 1 })
            {
                lock (_acknowledged)
                {
                    _acknowledged.Add(key);
                }
            }
        }
    }
}
