namespace KevyOrleans.Abstractions;

/// <summary>An entry of a group's election history: who won which epoch, and when it was recorded.</summary>
[GenerateSerializer]
[Alias("kevy.election")]
public sealed record ElectionRecord(
    [property: Id(0)] ulong Epoch,
    [property: Id(1)] string Primary,
    [property: Id(2)] DateTimeOffset At);
