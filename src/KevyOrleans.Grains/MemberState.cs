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
    [Id(0)] public ulong Epoch { get; set; } = 1;
    [Id(1)] public ulong VoteEpoch { get; set; }
    [Id(2)] public string? VotedFor { get; set; }
    [Id(3)] public ulong AnnouncedEpoch { get; set; }
    [Id(4)] public string? AnnouncedPrimary { get; set; }

    public DurableRecord ToRecord() => new(
        Epoch,
        VotedFor is null ? null : new Vote(VoteEpoch, VotedFor),
        AnnouncedPrimary is null ? null : new Announcement(AnnouncedEpoch, AnnouncedPrimary));

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
