namespace KevyOrleans.Protocol;

/// <summary>
/// One kevy-elect message. A single immutable value type for all four verbs so that
/// decoding a heartbeat allocates nothing but the sender's id string.
/// </summary>
/// <remarks>
/// Every message names its sender (<see cref="SenderId"/>): node_id (HB), candidate_id (OFFER),
/// accepter_id (ACCEPT) or new_primary_id (ANNOUNCE). The receiver is implied by the listener.
/// Fields a verb does not carry are zero / null; use the factory methods to build messages.
/// </remarks>
public readonly record struct ElectionMessage
{
    private ElectionMessage(Verb verb, ulong epoch, string senderId, Role role, ulong replOffset, string? primaryAddress)
    {
        ArgumentNullException.ThrowIfNull(senderId);
        Verb = verb;
        Epoch = epoch;
        SenderId = senderId;
        Role = role;
        ReplOffset = replOffset;
        PrimaryAddress = primaryAddress;
    }

    /// <summary>Which of the four messages this is: HB, OFFER, ACCEPT or ANNOUNCE.</summary>
    public Verb Verb { get; }

    /// <summary>epoch (HB, ACCEPT, ANNOUNCE) or new_epoch (OFFER).</summary>
    public ulong Epoch { get; }

    /// <summary>node_id, candidate_id, accepter_id or new_primary_id.</summary>
    public string SenderId { get; }

    /// <summary>The claimed role; meaningful for HB only.</summary>
    public Role Role { get; }

    /// <summary>repl_offset; meaningful for HB and OFFER.</summary>
    public ulong ReplOffset { get; }

    /// <summary>new_primary_addr (<c>host:client_port</c>); ANNOUNCE only.</summary>
    public string? PrimaryAddress { get; }

    /// <summary>
    /// HB between hosted members only, never on the wire (the encoder writes kevy's four fields; a decoded
    /// frame has none). A primary's heartbeat carries its own stamp; a replica's heartbeat echoes the stamp
    /// of the newest heartbeat it accepted from the primary it follows (<see cref="HeartbeatStamp.None"/>
    /// before the first). The primary's lease counts a peer that echoes from the send time it echoes, not
    /// from when its frame arrived: a peer that stopped hearing the primary proves it. Null: the sender
    /// does not echo (an external kevy member).
    /// </summary>
    public HeartbeatStamp? Stamp { get; init; }

    /// <summary>HB: a member's periodic claim of its epoch, role and replication offset.</summary>
    /// <param name="epoch">The sender's current epoch.</param>
    /// <param name="nodeId">The sender's node id.</param>
    /// <param name="role">The role the sender claims.</param>
    /// <param name="replOffset">The sender's replication offset.</param>
    public static ElectionMessage Heartbeat(ulong epoch, string nodeId, Role role, ulong replOffset) =>
        new(Verb.Heartbeat, epoch, nodeId, role, replOffset, null);

    /// <summary>OFFER: a candidate asks for votes for a new epoch.</summary>
    /// <param name="newEpoch">The epoch the candidate wants to lead.</param>
    /// <param name="candidateId">The candidate's node id.</param>
    /// <param name="replOffset">The candidate's replication offset, so voters can refuse a staler one.</param>
    public static ElectionMessage Offer(ulong newEpoch, string candidateId, ulong replOffset) =>
        new(Verb.Offer, newEpoch, candidateId, Role.Candidate, replOffset, null);

    /// <summary>ACCEPT: a member's vote for the candidate of an epoch.</summary>
    /// <param name="epoch">The epoch voted for.</param>
    /// <param name="accepterId">The voter's node id.</param>
    public static ElectionMessage Accept(ulong epoch, string accepterId) =>
        new(Verb.Accept, epoch, accepterId, Role.Replica, 0, null);

    /// <summary>ANNOUNCE: the winner of an epoch tells the group it is primary and where clients reach it.</summary>
    /// <param name="epoch">The epoch won.</param>
    /// <param name="newPrimaryId">The new primary's node id.</param>
    /// <param name="newPrimaryAddress">The new primary's <c>host:client_port</c>.</param>
    public static ElectionMessage Announce(ulong epoch, string newPrimaryId, string newPrimaryAddress)
    {
        ArgumentNullException.ThrowIfNull(newPrimaryAddress);
        return new(Verb.Announce, epoch, newPrimaryId, Role.Primary, 0, newPrimaryAddress);
    }

    /// <summary>The message in kevy's inline spelling, for logs.</summary>
    public override string ToString() => Verb switch
    {
        Verb.Heartbeat => $"HB {Epoch} {SenderId} {Role.ToWire()} {ReplOffset}",
        Verb.Offer => $"OFFER {Epoch} {SenderId} {ReplOffset}",
        Verb.Accept => $"ACCEPT {Epoch} {SenderId}",
        Verb.Announce => $"ANNOUNCE {Epoch} {SenderId} {PrimaryAddress}",
        _ => $"?{(int)Verb}",
    };
}
