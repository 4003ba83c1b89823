namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>
/// The base of the test classes that run against one <see cref="RedisPair"/>: the pair is shared by
/// the class, and each test starts from two empty, open masters <see cref="A"/> and <see cref="B"/>.
/// </summary>
public abstract class RedisPairTests : IClassFixture<RedisPair>, IAsyncLifetime
{
    protected RedisPairTests(RedisPair redis) => Redis = redis;

    protected RedisPair Redis { get; }

    protected RedisServer A => Redis.A;

    protected RedisServer B => Redis.B;

    public Task InitializeAsync() => Redis.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
