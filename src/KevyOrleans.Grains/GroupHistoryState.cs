using KevyOrleans.Abstractions;

namespace KevyOrleans.Grains;

/// <summary>A group's durable record: its append-only election history and its maintenance mode.</summary>
[GenerateSerializer]
[Alias("kevy.group-history")]
public sealed class GroupHistoryState
{
    /// <summary>Oldest entries are dropped beyond this many.</summary>
    public const int MaxEntries = 1000;

    /// <summary>The elections won in the group, oldest first, at most <see cref="MaxEntries"/>.</summary>
    [Id(0)] public List<ElectionRecord> Elections { get; set; } = [];

    /// <summary>The group's maintenance mode, kept in the same record; null when not paused.</summary>
    [Id(1)] public GroupPause? Pause { get; set; }
}
