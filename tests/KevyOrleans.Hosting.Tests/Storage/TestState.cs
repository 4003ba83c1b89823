namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>Shaped like the election's durable record: an epoch and a vote.</summary>
[GenerateSerializer]
public sealed class TestState
{
    [Id(0)] public ulong Epoch { get; set; }
    [Id(1)] public string? Candidate { get; set; }
}
