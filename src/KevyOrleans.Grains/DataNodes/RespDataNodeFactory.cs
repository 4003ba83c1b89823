namespace KevyOrleans.Grains.DataNodes;

/// <summary>
/// The data node of each hosted member: a <see cref="RespDataNode"/> at the <c>host:client_port</c> of
/// its member-list entry, of the group's kind, with the group's credentials and, for the redis kind,
/// its self-fencing (<see cref="DataNodeConventions.SelfFence"/>).
/// </summary>
public sealed class RespDataNodeFactory : IDataNodeFactory
{
    /// <inheritdoc/>
    public IDataNode Create(GroupDefinition group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        var m = group.Member(member);
        return new RespDataNode(m.Host, m.ClientPort, group.DataNodes, group.DataNodeCredentials, DataNodeConventions.FencePause(group.Timings),
            DataNodeConventions.SelfFence(group), group.DisconnectClients);
    }
}
