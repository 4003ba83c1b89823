using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>
/// A member's durable record as stored by the <c>kevy-votes</c> grain storage: its epoch, its vote
/// (epoch + candidate) and the last announcement it committed (epoch + primary).
/// </summary>
[GenerateSerializer]
[Alias("kevy.member-state")]
public sealed class MemberState
{
    /// <summary>The highest epoch the member has seen; a new member starts at 1.</summary>
    [Id(0)] public ulong Epoch { get; set; } = 1;
    /// <summary>The epoch of the member's last vote; 0 when it never voted.</summary>
    [Id(1)] public ulong VoteEpoch { get; set; }
    /// <summary>The candidate the member voted for in <see cref="VoteEpoch"/>; null when it never voted.</summary>
    [Id(2)] public string? VotedFor { get; set; }
    /// <summary>The epoch of the last announcement the member committed; 0 when none.</summary>
    [Id(3)] public ulong AnnouncedEpoch { get; set; }
    /// <summary>The primary named by the last committed announcement; null when none.</summary>
    [Id(4)] public string? AnnouncedPrimary { get; set; }

    /// <summary>The record as the elector reads it.</summary>
    public DurableRecord ToRecord() => new(
        Epoch,
        VotedFor is null ? null : new Vote(VoteEpoch, VotedFor),
        AnnouncedPrimary is null ? null : new Announcement(AnnouncedEpoch, AnnouncedPrimary));

    /// <summary>The storable form of the elector's durable <paramref name="record"/>.</summary>
    public static MemberState From(DurableRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new()
        {
            Epoch = record.Epoch,
            VoteEpoch = record.Vote?.Epoch ?? 0,
            VotedFor = record.Vote?.Candidate,
            AnnouncedEpoch = record.LastAnnouncement?.Epoch ?? 0,
            AnnouncedPrimary = record.LastAnnouncement?.Primary,
        };
    }
}
