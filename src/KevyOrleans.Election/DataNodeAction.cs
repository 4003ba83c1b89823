namespace KevyOrleans.Election;

public enum DataNodeActionKind : byte
{
    /// <summary>Stop replicating and take writes (<c>REPLICAOF NO ONE</c>). Also lifts any fence: the elector emits no Unfence with it.</summary>
    Promote = 0,

    /// <summary>
    /// Replicate from the named primary. Also lifts any fence, after the node has become a replica:
    /// writes the fence held back then fail on a replica instead of running on a primary.
    /// </summary>
    Follow = 1,

    /// <summary>A primary without a visible majority stops taking writes.</summary>
    Fence = 2,

    /// <summary>The majority is visible again: take writes again.</summary>
    Unfence = 3,
}

/// <summary>What the member's data node must do after an election outcome.</summary>
public sealed record DataNodeAction(DataNodeActionKind Kind, string? PrimaryId = null, string? PrimaryAddress = null)
{
    public static DataNodeAction Promote { get; } = new(DataNodeActionKind.Promote);

    public static DataNodeAction Fence { get; } = new(DataNodeActionKind.Fence);

    public static DataNodeAction Unfence { get; } = new(DataNodeActionKind.Unfence);

    /// <summary>Follow <paramref name="primaryId"/> at its <c>host:client_port</c>.</summary>
    public static DataNodeAction Follow(string primaryId, string primaryAddress) =>
        new(DataNodeActionKind.Follow, primaryId, primaryAddress);

    public override string ToString() => Kind == DataNodeActionKind.Follow
        ? $"follow {PrimaryId} at {PrimaryAddress}"
        : Kind.ToString().ToLowerInvariant();
}
