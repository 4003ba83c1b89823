using KevyOrleans.Testing;

namespace KevyOrleans.FailoverBenchmark;

/// <summary>
/// Three redis-servers (one primary, two replicas) and whatever fails them over: the kevy-silo's
/// hosted members or three Redis Sentinels. Disposing stops every process it started, by pid.
/// </summary>
internal interface IFailoverGroup : IAsyncDisposable
{
    /// <summary>The row's name in the table: system and mode.</summary>
    string SystemName { get; }

    string Mode { get; }

    int DownAfterMs { get; }

    IReadOnlyList<RedisServer> DataNodes { get; }

    /// <summary>The primary when the group is stable (one primary the failover system agrees on, both replicas linked to it), else null.</summary>
    Task<RedisServer?> TryStablePrimaryAsync();

    /// <summary>The failover system's last output, for a message when a trial cannot go on.</summary>
    string Tail();

    /// <summary>Runs <paramref name="start"/>; if it fails, disposes the group first, so no process it started outlives it.</summary>
    static async Task<T> StartOrDisposeAsync<T>(T group, Func<T, Task> start) where T : IFailoverGroup
    {
        try
        {
            await start(group).ConfigureAwait(false);
            return group;
        }
        catch
        {
            await group.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
