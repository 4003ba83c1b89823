using KevyOrleans.Abstractions;
using KevyOrleans.Grains.DataNodes;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Grains;

/// <summary>
/// Runs a member's <see cref="DataNodeDeathWatch"/> on the thread pool, outside the grain's scheduler; a death it
/// sees comes back as a one-way call to the member's grain, handled in a turn of its own like any other input.
/// </summary>
internal static class DeathWatchRunner
{
    /// <summary>Starts the watch; it ends when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static void Start(DataNodeDeathWatch watch, IMemberGrain member, ILogger logger, string group, string node, CancellationToken cancellationToken) =>
        _ = Task.Run(() => RunAsync(watch, member, logger, group, node, cancellationToken), CancellationToken.None);

    private static async Task RunAsync(DataNodeDeathWatch watch, IMemberGrain member, ILogger logger, string group, string node, CancellationToken cancellationToken)
    {
        try
        {
            await watch.RunAsync(member.OwnDataNodeDead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the activation ended
        }
#pragma warning disable CA1031 // the watch only speeds failover up; the probes and down_after still stand without it
        catch (Exception e)
#pragma warning restore CA1031
        {
            CertainDeathLog.WatchFailed(logger, group, node, watch.Endpoint, e);
        }
    }
}
