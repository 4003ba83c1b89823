using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>The static configuration of one member's elector.</summary>
public sealed record ElectorConfig
{
    /// <summary>Checks and builds the configuration; throws <see cref="ArgumentException"/> when <paramref name="self"/> is not a valid member id or the timings are invalid.</summary>
    /// <param name="self">This member's node id; must be in <paramref name="group"/>.</param>
    /// <param name="group">The replication group this member elects in.</param>
    /// <param name="timings">The protocol's timings; kevy's defaults when null.</param>
    public ElectorConfig(string self, ElectionGroup group, ElectionTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        NodeId.Validate(self);
        if (!group.Members.Contains(self))
        {
            throw new ArgumentException($"'{self}' is not a member of the group '{group.Members}'", nameof(self));
        }
        Self = self;
        Group = group;
        Timings = (timings ?? ElectionTimings.Default).EnsureValid();
    }

    /// <summary>This member's node id.</summary>
    public string Self { get; }

    /// <summary>The replication group this member elects in.</summary>
    public ElectionGroup Group { get; }

    /// <summary>The protocol's timings, already validated.</summary>
    public ElectionTimings Timings { get; }

    /// <summary>
    /// Who may become primary: NoFailover, priorities, the lag limit. Kevy's own rule when not set;
    /// throws <see cref="ArgumentException"/> when the policy does not fit <see cref="Group"/>.
    /// </summary>
    public FailoverPolicy Failover
    {
        get => _failover;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var problems = value.Problems(Group);
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", problems), nameof(Failover));
            }
            _failover = value;
        }
    }

    private readonly FailoverPolicy _failover = FailoverPolicy.Unrestricted;

    /// <summary>
    /// Rule 14 (on by default): a notice of a hosted peer's certain death makes that peer DOWN at once, and this
    /// member's own certain death is announced to its hosted peers. Off: both are ignored and only down_after counts.
    /// </summary>
    public bool FastFailover { get; init; } = true;

    /// <summary>
    /// Anti-flapping: an automatic failover sooner than this after the last one this member saw is held
    /// (<see cref="ElectorEventKind.FailoverHeld"/>) until the time is up, unless the primary's data node is
    /// certainly dead (rule 14) or a planned switchover hands over. Zero (the core's default) holds nothing;
    /// the hosting layer defaults to 3 x down_after. Throws <see cref="ArgumentOutOfRangeException"/> when negative.
    /// </summary>
    public TimeSpan MinimumTimeBetweenFailovers
    {
        get => _minimumTimeBetweenFailovers;
        init => _minimumTimeBetweenFailovers = value >= TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumTimeBetweenFailovers), value, "the minimum time between failovers is zero (no hold) or more");
    }

    private readonly TimeSpan _minimumTimeBetweenFailovers;

    /// <summary>A witness votes but never runs, and reports offset 0.</summary>
    public bool IsWitness => Group.IsWitness(Self);

    /// <summary><c>host:client_port</c> of this member, as its ANNOUNCE carries it.</summary>
    public string OwnClientAddress => Group.Members.Get(Self).ClientAddress;
}
