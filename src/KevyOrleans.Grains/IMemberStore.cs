using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>Where a member's durable record lives. The grain's is its <c>IPersistentState</c>.</summary>
public interface IMemberStore
{
    /// <summary>The record storage held when the member started; null when it held none.</summary>
    DurableRecord? Loaded { get; }

    /// <summary>Makes <paramref name="record"/> durable, or throws (error, conflict, cancellation).</summary>
    Task CommitAsync(DurableRecord record, CancellationToken cancellationToken);
}

/// <summary>Where a member's released frames and election results go.</summary>
public interface IMemberOutbox
{
    /// <summary>Sends one frame to one other member of the group. Never waits for the receiver.</summary>
    void Deliver(string to, in KevyOrleans.Protocol.ElectionMessage message);

    /// <summary>Tells the group that this member won an epoch. Never waits for the group.</summary>
    void ReportElection(KevyOrleans.Abstractions.ElectionRecord record);

    /// <summary>
    /// Rule 14: tells every other hosted member of the group that this member's data node is certainly dead.
    /// Never waits for them. An outbox that reaches no hosted peer (a test's, a lone member's) has nobody to tell.
    /// </summary>
    void NotifyDeath(CertainDeathNotice notice)
    {
    }
}
