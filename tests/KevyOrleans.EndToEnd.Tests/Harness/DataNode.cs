using KevyOrleans.Testing;
using StackExchange.Redis;

namespace KevyOrleans.EndToEnd.Tests.Harness;

/// <summary>
/// One member's redis-server and an independent client to it (StackExchange.Redis, never the
/// product's own client): writes acknowledged by WAIT, reads, and what INFO replication says.
/// </summary>
public sealed class DataNode(string id, RedisServer redis, int electPort) : IAsyncDisposable
{
    private ConnectionMultiplexer? _connection;

    public string Id { get; } = id;

    public RedisServer Redis { get; } = redis;

    public int ElectPort { get; } = electPort;

    /// <summary>SET, then WAIT for <paramref name="replicas"/> replicas: true only when both succeeded in time.</summary>
    public async Task<bool> WriteAcknowledgedAsync(string key, string value, int replicas, TimeSpan timeout)
    {
        try
        {
            var db = await DatabaseAsync(timeout).ConfigureAwait(false);
            if (!await db.StringSetAsync(key, value).WaitAsync(timeout).ConfigureAwait(false))
            {
                return false;
            }
            var acked = (long)await db.ExecuteAsync("WAIT", replicas, (long)timeout.TotalMilliseconds).WaitAsync(timeout * 2).ConfigureAwait(false);
            return acked >= replicas;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            await RelearnRoleAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>A plain SET: true when the node took it within <paramref name="timeout"/>.</summary>
    public async Task<bool> TryWriteAsync(string key, string value, TimeSpan timeout)
    {
        try
        {
            var db = await DatabaseAsync(timeout).ConfigureAwait(false);
            return await db.StringSetAsync(key, value).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            await RelearnRoleAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// StackExchange.Redis routes writes by the role it last saw and will not send one to a node it
    /// believes is a replica; after a promotion it must look again, or the new primary seems read-only.
    /// </summary>
    private async Task RelearnRoleAsync()
    {
        if (_connection is { } c)
        {
            try
            {
                await c.ConfigureAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // the node is down or paused: the next attempt asks again
            }
        }
    }

    public async Task<string?> GetAsync(string key)
    {
        var db = await DatabaseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return await db.StringGetAsync(key).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>CLIENT PAUSE ... WRITE</c> on this node: it still answers reads and probes (it is up), but a
    /// replica applies no replication stream while paused (Redis 7), so it falls behind its primary.
    /// </summary>
    public async Task PauseWritesAsync(TimeSpan duration)
    {
        var db = await DatabaseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await db.ExecuteAsync("CLIENT", "PAUSE", (long)duration.TotalMilliseconds, "WRITE").ConfigureAwait(false);
    }

    public async Task UnpauseAsync()
    {
        var db = await DatabaseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await db.ExecuteAsync("CLIENT", "UNPAUSE").ConfigureAwait(false);
    }

    /// <summary>The fields of <c>INFO replication</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReplicationAsync()
    {
        var db = await DatabaseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var text = (string?)await db.ExecuteAsync("INFO", "replication").ConfigureAwait(false) ?? "";
        return text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#') && l.Contains(':', StringComparison.Ordinal))
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    /// <summary>True when INFO says this node replicates from <paramref name="primary"/> with the link up.</summary>
    public async Task<bool> FollowsAsync(DataNode primary)
    {
        try
        {
            var info = await ReplicationAsync().ConfigureAwait(false);
            return info.GetValueOrDefault("role") == "slave"
                && info.GetValueOrDefault("master_port") == primary.Redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && info.GetValueOrDefault("master_link_status") == "up";
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } c)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
        await Redis.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IDatabase> DatabaseAsync(TimeSpan timeout)
    {
        if (_connection is null)
        {
            var options = new ConfigurationOptions
            {
                EndPoints = { { Redis.Host, Redis.Port } },
                AbortOnConnectFail = false,
                AllowAdmin = true,
                ConnectTimeout = 1000,
                SyncTimeout = (int)timeout.TotalMilliseconds,
                AsyncTimeout = (int)timeout.TotalMilliseconds,
                ConnectRetry = 1,
            };
            _connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        return _connection.GetDatabase();
    }
}
