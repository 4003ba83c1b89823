using System.Collections.Concurrent;
using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Protocol;

namespace KevyOrleans.Testing;

/// <summary>A member store in memory that always succeeds: for tests of what a member does, not of storage.</summary>
public sealed class MemoryMemberStore : IMemberStore
{
    public DurableRecord? Loaded => null;

    public DurableRecord? Stored { get; private set; }

    public Task CommitAsync(DurableRecord record, CancellationToken cancellationToken)
    {
        Stored = record;
        return Task.CompletedTask;
    }
}

/// <summary>Records every frame a member releases, in order.</summary>
public sealed class MemoryMemberOutbox : IMemberOutbox
{
    public ConcurrentQueue<(string To, ElectionMessage Message)> Sent { get; } = new();

    public void Deliver(string to, in ElectionMessage message) => Sent.Enqueue((to, message));

    public void ReportElection(ElectionRecord record)
    {
    }

    /// <summary>Notices of certain death (rule 14) released for the hosted peers, in order.</summary>
    public ConcurrentQueue<CertainDeathNotice> DeathNotices { get; } = new();

    public void NotifyDeath(CertainDeathNotice notice) => DeathNotices.Enqueue(notice);
}
