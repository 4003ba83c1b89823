namespace KevyOrleans.Election;

/// <summary>A vote: this node backed <paramref name="Candidate"/> in <paramref name="Epoch"/>.</summary>
public sealed record Vote(ulong Epoch, string Candidate);

/// <summary>The winner of <paramref name="Epoch"/>, as this node committed it.</summary>
public sealed record Announcement(ulong Epoch, string Primary);

/// <summary>
/// What a member must remember across restarts: its epoch, its vote (at most one per epoch), and the
/// last announcement it committed (so it can tell a conflicting ANNOUNCE after a restart).
/// </summary>
public sealed record DurableRecord(ulong Epoch, Vote? Vote, Announcement? LastAnnouncement)
{
    /// <summary>A member that has never stored anything: epoch 1, no vote.</summary>
    public static DurableRecord Initial { get; } = new(1, null, null);
}
