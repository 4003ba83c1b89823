namespace KevyOrleans.Election;

/// <summary>What a member's data node is told to do: promote, follow, fence or unfence.</summary>
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
/// <param name="Kind">Which action.</param>
/// <param name="PrimaryId">For Follow: the node id of the primary to replicate from; null otherwise.</param>
/// <param name="PrimaryAddress">For Follow: that primary's <c>host:client_port</c>; null otherwise.</param>
public sealed record DataNodeAction(DataNodeActionKind Kind, string? PrimaryId = null, string? PrimaryAddress = null)
{
    /// <summary>Become primary: stop replicating and take writes.</summary>
    public static DataNodeAction Promote { get; } = new(DataNodeActionKind.Promote);

    /// <summary>Stop taking writes: this primary no longer sees a majority.</summary>
    public static DataNodeAction Fence { get; } = new(DataNodeActionKind.Fence);

    /// <summary>Take writes again: the majority is visible again.</summary>
    public static DataNodeAction Unfence { get; } = new(DataNodeActionKind.Unfence);

    /// <summary>Follow <paramref name="primaryId"/> at its <c>host:client_port</c>.</summary>
    public static DataNodeAction Follow(string primaryId, string primaryAddress) =>
        new(DataNodeActionKind.Follow, primaryId, primaryAddress);

    /// <summary>The action for logs, e.g. <c>follow n2 at host:6379</c> or <c>fence</c>.</summary>
    public override string ToString() => Kind == DataNodeActionKind.Follow
        ? $"follow {PrimaryId} at {PrimaryAddress}"
        : Kind.ToString().ToLowerInvariant();
}
