using KevyOrleans.Abstractions;
using KevyOrleans.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KevyOrleans.Silo.Health;

/// <summary>
/// Ready check <c>members</c>: every hosted member of every configured group answers a status call
/// within <see cref="Timeout"/>, wherever in the cluster it is placed (a call activates a member that
/// is not active, as the supervisor's rounds do). Unhealthy names the members that did not answer.
/// </summary>
internal sealed class MembersCheck(IGroupCatalog catalog, IGrainFactory grains) : IHealthCheck
{
    /// <summary>How long each member may take, all asked at once: under the 5 s the infra probes allow.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var keys = catalog.Groups.SelectMany(g => g.Hosted.Select(m => MemberKey.Format(g.Name, m))).Order(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(keys.Select(key => AskAsync(key, cancellationToken))).ConfigureAwait(false);
        var silent = answers.Where(a => a is not null).ToList();
        return silent.Count == 0
            ? HealthCheckResult.Healthy($"all {keys.Count} hosted members answer")
            : HealthCheckResult.Unhealthy($"{silent.Count} of {keys.Count} hosted members did not answer: {string.Join("; ", silent)}");
    }

    /// <summary>Null when the member answered; otherwise what went wrong, naming it.</summary>
    private async Task<string?> AskAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IMemberGrain>(key).GetStatus().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return $"{key}: no answer within {Timeout.TotalSeconds:0} s";
        }
#pragma warning disable CA1031 // a member that fails to activate or answer is reported, not thrown
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return $"{key}: {e.GetType().Name}: {e.Message}";
        }
    }
}
