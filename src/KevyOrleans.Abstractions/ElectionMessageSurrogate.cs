using KevyOrleans.Protocol;

namespace KevyOrleans.Abstractions;

/// <summary>
/// How an <see cref="ElectionMessage"/> crosses a grain call. The protocol assembly stays free of
/// Orleans, so its message type travels as this surrogate.
/// </summary>
[GenerateSerializer]
[Alias("kevy.msg")]
public struct ElectionMessageSurrogate
{
    [Id(0)] public Verb Verb;
    [Id(1)] public ulong Epoch;
    [Id(2)] public string SenderId;
    [Id(3)] public Role Role;
    [Id(4)] public ulong ReplOffset;
    [Id(5)] public string? PrimaryAddress;
}

[RegisterConverter]
public sealed class ElectionMessageConverter : IConverter<ElectionMessage, ElectionMessageSurrogate>
{
    public ElectionMessage ConvertFromSurrogate(in ElectionMessageSurrogate s) => s.Verb switch
    {
        Verb.Heartbeat => ElectionMessage.Heartbeat(s.Epoch, s.SenderId, s.Role, s.ReplOffset),
        Verb.Offer => ElectionMessage.Offer(s.Epoch, s.SenderId, s.ReplOffset),
        Verb.Accept => ElectionMessage.Accept(s.Epoch, s.SenderId),
        Verb.Announce => ElectionMessage.Announce(s.Epoch, s.SenderId, s.PrimaryAddress ?? ""),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Verb, "unknown verb"),
    };

    public ElectionMessageSurrogate ConvertToSurrogate(in ElectionMessage m) => new()
    {
        Verb = m.Verb,
        Epoch = m.Epoch,
        SenderId = m.SenderId,
        Role = m.Role,
        ReplOffset = m.ReplOffset,
        PrimaryAddress = m.PrimaryAddress,
    };
}
