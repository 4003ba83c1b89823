using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>A message to send: to one member, or (<see cref="To"/> null) to every other member.</summary>
/// <param name="To">The node id of the recipient, or null to broadcast to every other member.</param>
/// <param name="Message">The kevy-elect message to send.</param>
public readonly record struct Outbound(string? To, ElectionMessage Message)
{
    /// <summary>The message for logs: recipient (<c>*</c> for all) and message.</summary>
    public override string ToString() => $"{(To ?? "*")} <- {Message}";
}
