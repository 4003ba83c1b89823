using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

/// <summary>
/// A group's recent lag samples, in memory only (lost when the group grain deactivates): one sample each
/// time the group's status is built, at most one per <see cref="MinSpacing"/>, the newest
/// <see cref="Capacity"/> kept. Nothing samples on its own: while nobody reads the group (status page,
/// API, CLI) nothing is taken, and the gap shows in the samples' times.
/// </summary>
internal sealed class LagHistory
{
    /// <summary>Samples kept: two minutes at the status page's one refresh a second.</summary>
    public const int Capacity = 120;

    /// <summary>Two reads closer together than this give one sample (several viewers refresh independently).</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(900);

    private readonly Queue<LagSample> _samples = new(Capacity);
    private DateTimeOffset? _last;

    public int Count => _samples.Count;

    /// <summary>Takes a sample of <paramref name="status"/> at <paramref name="now"/> unless the last one is too recent.</summary>
    public void Record(GroupStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (_last is { } last && now - last < MinSpacing)
        {
            return;
        }
        _last = now;
        if (_samples.Count == Capacity)
        {
            _samples.Dequeue();
        }
        _samples.Enqueue(new LagSample(now, [.. status.Members.Select(m => Lag(m, status))]));
    }

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<LagSample> Snapshot() => [.. _samples];

    /// <summary>
    /// A member's lags: heartbeat lag as the group heard it; replication lag only for a data replica that
    /// answers while the primary's offset is known (a down member's offset is the last one anybody heard).
    /// </summary>
    internal static MemberLag Lag(GroupMemberStatus member, GroupStatus status)
    {
        var primaryOffset = status.Members.FirstOrDefault(m => m.Id == status.Primary)?.Offset;
        ulong? replication = member.IsUp() && !member.IsWitness && member.Id != status.Primary && member.Role != Role.Primary
            && primaryOffset is { } p && member.Offset is { } o
            ? (p > o ? p - o : 0)
            : null;
        return new MemberLag(member.Id, member.SinceLastSeenMs, replication);
    }
}
