using System.Net.Sockets;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>
/// One persistent raw RESP connection to a data node or a sentinel (no client library, so nothing routes
/// or retries behind our back), opened again after any failure: a promotion's <c>CLIENT KILL</c> or a dead node.
/// </summary>
internal sealed class NodeConnection(int port) : IAsyncDisposable
{
    private RespTestClient? _client;

    public int Port => port;

    /// <summary>The reply, or null when the node refused the connection, closed it, or did not answer within <paramref name="within"/>.</summary>
    public async Task<RespValue?> TryCallAsync(TimeSpan within, params string[] command)
    {
        try
        {
            _client ??= await RespTestClient.ConnectAsync(port).WaitAsync(within).ConfigureAwait(false);
            await _client.SendAsync(command).ConfigureAwait(false);
            return await _client.ReadAsync(within).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            await DropAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>The fields of <c>INFO replication</c>; empty when the node does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReplicationAsync()
    {
        var reply = await TryCallAsync(TimeSpan.FromSeconds(2), "INFO", "replication").ConfigureAwait(false);
        return (reply?.Text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#') && l.Contains(':', StringComparison.Ordinal))
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => DropAsync();

    private async ValueTask DropAsync()
    {
        if (_client is { } c)
        {
            _client = null;
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }
}
