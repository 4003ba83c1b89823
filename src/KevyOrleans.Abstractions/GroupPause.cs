namespace KevyOrleans.Abstractions;

/// <summary>
/// A group's maintenance mode: while it is in force, its hosted members never start a candidacy and
/// their data-node agents never promote, follow or fence; they still heartbeat and vote. Kept durably by
/// the group grain and pushed to every hosted member of the group, on every silo.
/// </summary>
/// <param name="Since">When the pause was set (UTC).</param>
/// <param name="Until">When it ends by itself (UTC); null: only a resume ends it.</param>
[GenerateSerializer]
[Alias("kevy.group-pause")]
public sealed record GroupPause(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] DateTimeOffset? Until)
{
    /// <summary>Whether the pause is in force at <paramref name="now"/>: set, and not yet expired.</summary>
    public bool InForceAt(DateTimeOffset now) => Until is not { } until || now < until;
}
