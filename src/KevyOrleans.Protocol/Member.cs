namespace KevyOrleans.Protocol;

/// <summary>
/// One entry of a member list: <c>id@host:elect_port[:client_port]</c>.
/// </summary>
/// <param name="Id">The node id, unique in its group.</param>
/// <param name="Host">Host name or address (IPv6 in brackets on the wire).</param>
/// <param name="ElectPort">Where the member's elector listens for kevy-elect frames.</param>
/// <param name="ClientPort">Where its data node serves clients; equals ElectPort in the legacy two-field form.</param>
/// <param name="HasSeparateClientPort">True when the entry used the three-field form.</param>
public sealed record Member(string Id, string Host, int ElectPort, int ClientPort, bool HasSeparateClientPort)
{
    /// <summary><c>host:client_port</c>, as carried in ANNOUNCE.</summary>
    public string ClientAddress => $"{Host}:{ClientPort}";

    /// <summary><c>host:elect_port</c>.</summary>
    public string ElectAddress => $"{Host}:{ElectPort}";

    /// <summary>The entry in kevy's member list syntax, in the form it was given (two or three fields).</summary>
    public override string ToString() => HasSeparateClientPort
        ? $"{Id}@{Host}:{ElectPort}:{ClientPort}"
        : $"{Id}@{Host}:{ElectPort}";
}
