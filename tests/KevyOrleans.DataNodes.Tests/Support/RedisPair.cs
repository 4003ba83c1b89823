namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>Two redis-servers shared by the tests of one class; each test starts from two empty, open masters.</summary>
public sealed class RedisPair : IAsyncLifetime
{
    public RedisServer A { get; private set; } = null!;

    public RedisServer B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var a = RedisServer.StartAsync();
        var b = RedisServer.StartAsync();
        A = await a;
        B = await b;
    }

    public async Task ResetAsync()
    {
        foreach (var server in new[] { A, B })
        {
            if (!server.IsRunning)
            {
                await server.StartAgainAsync();
            }
            await Independent.ResetAsync(server);
        }
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
