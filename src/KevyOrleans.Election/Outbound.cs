using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>A message to send: to one member, or (<see cref="To"/> null) to every other member.</summary>
public readonly record struct Outbound(string? To, ElectionMessage Message)
{
    public override string ToString() => $"{(To ?? "*")} <- {Message}";
}
