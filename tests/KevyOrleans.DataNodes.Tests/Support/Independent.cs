using StackExchange.Redis;

namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>
/// StackExchange.Redis looking at one redis-server: the independent witness of what a data node really
/// holds and is. Never the product's own client, which is what is under test.
/// </summary>
internal sealed class Independent : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _mux;
    private readonly RedisServer _server;

    private Independent(ConnectionMultiplexer mux, RedisServer server)
    {
        _mux = mux;
        _server = server;
        Db = mux.GetDatabase();
    }

    public IDatabase Db { get; }

    /// <summary>Admin access; not available on a writer.</summary>
    public IServer Server => _mux.GetServer(_server.Host, _server.Port);

    /// <param name="timeoutMs">How long a command may wait for its reply before the client gives up on it.</param>
    /// <param name="asWriter">
    /// Connect as an application behind a proxy does: writes go to the server whatever role the client
    /// last saw it in (a client that tracks roles refuses to send them to a replica itself, so a test
    /// could never see the server's own -READONLY). Admin commands are unavailable then.
    /// </param>
    public static async Task<Independent> ConnectAsync(RedisServer server, string? password = null, string? user = null, int timeoutMs = 5000,
        bool asWriter = false)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { server.Host, server.Port } },
            Password = password,
            User = user,
            AllowAdmin = true,
            ConnectTimeout = 5000,
            AsyncTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            AbortOnConnectFail = true,
            Proxy = asWriter ? Proxy.Twemproxy : Proxy.None,
        };
        return new Independent(await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false), server);
    }

    /// <summary>A client for writes whatever the server's role: see <c>asWriter</c>.</summary>
    public static Task<Independent> WriterAsync(RedisServer server, int timeoutMs = 5000) =>
        ConnectAsync(server, timeoutMs: timeoutMs, asWriter: true);

    /// <summary>A fresh connection's answer, so a role change is never hidden by a cached view.</summary>
    public static async Task<Dictionary<string, string>> ReplicationAsync(RedisServer server, string? password = null)
    {
        await using var c = await ConnectAsync(server, password).ConfigureAwait(false);
        return await c.ReplicationAsync().ConfigureAwait(false);
    }

    public static async Task<string?> GetAsync(RedisServer server, string key)
    {
        await using var c = await ConnectAsync(server).ConfigureAwait(false);
        return await c.Db.StringGetAsync(key).ConfigureAwait(false);
    }

    /// <summary>Writes one key over a fresh connection, as an application on the primary would.</summary>
    public static async Task SetAsync(RedisServer server, string key, string value)
    {
        await using var c = await ConnectAsync(server).ConfigureAwait(false);
        await c.Db.StringSetAsync(key, value).ConfigureAwait(false);
    }

    public async Task<Dictionary<string, string>> ReplicationAsync()
    {
        var text = (string?)await Server.ExecuteAsync("INFO", "replication").ConfigureAwait(false) ?? "";
        return text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(':', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    /// <summary>Puts the server back as an open, empty master.</summary>
    public static async Task ResetAsync(RedisServer server)
    {
        await using (var c = await ConnectAsync(server).ConfigureAwait(false))
        {
            await c.Server.ExecuteAsync("REPLICAOF", "NO", "ONE").ConfigureAwait(false);
            await c.Server.ExecuteAsync("CLIENT", "UNPAUSE").ConfigureAwait(false);
            await c.Server.ExecuteAsync("CONFIG", "SET", "min-replicas-to-write", "0").ConfigureAwait(false);
        }
        // A connection made while the server was a replica refuses to send it FLUSHALL: use a new one.
        await using (var c = await ConnectAsync(server).ConfigureAwait(false))
        {
            await c.Server.ExecuteAsync("FLUSHALL").ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _mux.DisposeAsync();
}
