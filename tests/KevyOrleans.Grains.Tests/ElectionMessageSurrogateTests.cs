using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;

namespace KevyOrleans.Grains.Tests;

/// <summary>What crosses a grain call between hosted members is the whole message, stamp included.</summary>
public sealed class ElectionMessageSurrogateTests
{
    public static TheoryData<ElectionMessage> Messages() =>
    [
        ElectionMessage.Heartbeat(3, "n1", Role.Primary, 7) with { Stamp = new HeartbeatStamp(99, 12345) },
        ElectionMessage.Heartbeat(3, "n2", Role.Replica, 7) with { Stamp = HeartbeatStamp.None },
        ElectionMessage.Heartbeat(3, "n3", Role.Replica, 7),
        ElectionMessage.Offer(4, "n1", 9),
        ElectionMessage.Accept(4, "n2"),
        ElectionMessage.Announce(4, "n1", "h:6001"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_survives_the_grain_call_unchanged(ElectionMessage message)
    {
        var converter = new ElectionMessageConverter();
        Assert.Equal(message, converter.ConvertFromSurrogate(converter.ConvertToSurrogate(message)));
    }
}
