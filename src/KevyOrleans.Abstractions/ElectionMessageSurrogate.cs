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
    /// <summary>Which of the four kevy-elect messages this is.</summary>
    [Id(0)] public Verb Verb;
    /// <summary>The message's epoch (new_epoch for OFFER).</summary>
    [Id(1)] public ulong Epoch;
    /// <summary>The sender's node id.</summary>
    [Id(2)] public string SenderId;
    /// <summary>The role claimed; meaningful for HB only.</summary>
    [Id(3)] public Role Role;
    /// <summary>The sender's replication offset; meaningful for HB and OFFER.</summary>
    [Id(4)] public ulong ReplOffset;
    /// <summary>The new primary's <c>host:client_port</c>; ANNOUNCE only.</summary>
    [Id(5)] public string? PrimaryAddress;
    /// <summary>True when the message carries a <see cref="HeartbeatStamp"/> (hosted heartbeats).</summary>
    [Id(6)] public bool HasStamp;
    /// <summary>The stamp's primary activation nonce.</summary>
    [Id(7)] public ulong StampActivation;
    /// <summary>The stamp's send time in that activation's monotonic clock.</summary>
    [Id(8)] public long StampSentTicks;
}

/// <summary>Converts an <see cref="ElectionMessage"/> to and from <see cref="ElectionMessageSurrogate"/> for Orleans serialization.</summary>
[RegisterConverter]
public sealed class ElectionMessageConverter : IConverter<ElectionMessage, ElectionMessageSurrogate>
{
    /// <summary>Rebuilds the message through the factory method of its verb.</summary>
    /// <param name="s">The surrogate that crossed the grain call.</param>
    public ElectionMessage ConvertFromSurrogate(in ElectionMessageSurrogate s) => s.Verb switch
    {
        Verb.Heartbeat => ElectionMessage.Heartbeat(s.Epoch, s.SenderId, s.Role, s.ReplOffset) with
        {
            Stamp = s.HasStamp ? new HeartbeatStamp(s.StampActivation, s.StampSentTicks) : null,
        },
        Verb.Offer => ElectionMessage.Offer(s.Epoch, s.SenderId, s.ReplOffset),
        Verb.Accept => ElectionMessage.Accept(s.Epoch, s.SenderId),
        Verb.Announce => ElectionMessage.Announce(s.Epoch, s.SenderId, s.PrimaryAddress ?? ""),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Verb, "unknown verb"),
    };

    /// <summary>Copies every field of the message into a surrogate.</summary>
    /// <param name="m">The message to send across a grain call.</param>
    public ElectionMessageSurrogate ConvertToSurrogate(in ElectionMessage m) => new()
    {
        Verb = m.Verb,
        Epoch = m.Epoch,
        SenderId = m.SenderId,
        Role = m.Role,
        ReplOffset = m.ReplOffset,
        PrimaryAddress = m.PrimaryAddress,
        HasStamp = m.Stamp.HasValue,
        StampActivation = m.Stamp?.Activation ?? 0,
        StampSentTicks = m.Stamp?.SentTicks ?? 0,
    };
}
