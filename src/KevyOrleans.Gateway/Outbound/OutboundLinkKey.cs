namespace KevyOrleans.Gateway.Outbound;

/// <summary>Which link a frame takes: hosted member <paramref name="From"/> of <paramref name="Group"/> to external member <paramref name="To"/>.</summary>
public readonly record struct OutboundLinkKey(string Group, string From, string To)
{
    /// <summary>The key for logs: <c>group/from -> to</c>.</summary>
    public override string ToString() => $"{Group}/{From} -> {To}";
}
