using KevyOrleans.Protocol;

namespace KevyOrleans.Election;

/// <summary>
/// "My data node's process is certainly gone" (rule 14): what a hosted member tells its hosted peers,
/// by a grain call rather than a wire frame, the moment its data node refuses a connection or resets one
/// on a host that answers. The member has already renounced its role when it sends this.
/// </summary>
/// <param name="Member">The node id of the member whose data node died.</param>
/// <param name="Epoch">That member's epoch when it saw the death: a receiver that heard a later epoch from it ignores the notice.</param>
/// <param name="Role">The role the member held when its data node died (it is a replica since).</param>
public sealed record CertainDeathNotice(string Member, ulong Epoch, Role Role)
{
    /// <summary>The notice for logs.</summary>
    public override string ToString() => $"data node of {Member} certainly dead (epoch {Epoch}, was {Role.ToWire()})";
}
