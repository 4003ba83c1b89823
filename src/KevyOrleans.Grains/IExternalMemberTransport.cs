using KevyOrleans.Protocol;

namespace KevyOrleans.Grains;

/// <summary>
/// Carries frames from a hosted member to an external member (a kevy server with its own elector).
/// The wire gateway provides the real one; without it, frames to external members are dropped and counted.
/// </summary>
public interface IExternalMemberTransport
{
    /// <summary>Queues <paramref name="message"/> for <paramref name="to"/>; never blocks on the network.</summary>
    void Send(GroupDefinition group, string from, string to, in ElectionMessage message);
}

/// <summary>The transport of a deployment without a gateway: it drops frames to external members, counting each.</summary>
public sealed class UnroutedExternalTransport(KevyMetrics metrics) : IExternalMemberTransport
{
    /// <summary>Drops <paramref name="message"/> and counts it as <c>no-gateway</c>.</summary>
    public void Send(GroupDefinition group, string from, string to, in ElectionMessage message) =>
        metrics.FrameDropped(message.Verb, "no-gateway");
}
