namespace KevyOrleans.Protocol;

/// <summary>
/// Which heartbeat of which primary activation a hosted member last heard: the lease's proof that a
/// peer still hears its primary (see <see cref="ElectionMessage.Stamp"/>). Hosted members only; never
/// on kevy's wire.
/// </summary>
/// <param name="Activation">The primary activation's nonce; 0 = no heartbeat heard.</param>
/// <param name="SentTicks">When that activation sent the heartbeat, in its own monotonic clock.</param>
public readonly record struct HeartbeatStamp(ulong Activation, long SentTicks)
{
    /// <summary>No primary heartbeat heard yet: an echo that proves nothing, from a member that echoes.</summary>
    public static HeartbeatStamp None => default;
}
