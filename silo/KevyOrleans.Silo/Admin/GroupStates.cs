using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Silo.Admin;

/// <summary>
/// The one rule for a group's state in the admin API (<c>GET /groups</c>, <c>GET /fleet</c>, the status page):
/// <c>noprimary</c> when no primary is reported or the primary is not up; <c>degraded</c> when the primary is up but
/// another member is not, or the group did not answer; <c>healthy</c> when every member is up.
/// "Up" is <see cref="MemberHealth.IsUp"/>, the rule the members' <c>up</c> field and switchover use.
/// </summary>
internal static class GroupStates
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string NoPrimary = "noprimary";

    /// <summary>The values <c>?state=</c> accepts, as the 400 names them.</summary>
    public const string Allowed = "healthy, degraded or noprimary";

    public static string Of(GroupStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var primary = status.Members.FirstOrDefault(m => m.Id == status.Primary);
        if (primary is null || !primary.IsUp())
        {
            return NoPrimary;
        }
        return status.Members.All(m => m.IsUp()) ? Healthy : Degraded;
    }

    /// <summary>The state of a group that did not answer: not known to be healthy, so it is shown with the degraded ones.</summary>
    public const string Unanswered = Degraded;

    /// <summary>Worst first: the order of the fleet view.</summary>
    public static int Rank(string state) => state switch
    {
        NoPrimary => 0,
        Degraded => 1,
        _ => 2,
    };

    /// <summary>A <c>?state=</c> value (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string value, out string state)
    {
        ArgumentNullException.ThrowIfNull(value);
        state = value.ToLowerInvariant() switch
        {
            Healthy => Healthy,
            Degraded => Degraded,
            NoPrimary => NoPrimary,
            _ => "",
        };
        return state.Length > 0;
    }

    /// <summary>The 400 for a bad <c>?state=</c>, naming the parameter.</summary>
    public static IResult BadState(string value) =>
        AdminErrors.Result(StatusCodes.Status400BadRequest, $"state is '{value}'; it must be {Allowed}");
}
