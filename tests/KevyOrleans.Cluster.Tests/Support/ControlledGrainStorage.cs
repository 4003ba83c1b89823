using System.Collections.Concurrent;
using KevyOrleans.Grains;
using Orleans.Storage;

namespace KevyOrleans.Cluster.Tests.Support;

/// <summary>
/// Wraps the real <c>kevy-votes</c> provider: fails or delays writes on demand (per group), and
/// journals every member record that was really written, so a test can check no member ever
/// stored two votes for one epoch.
/// </summary>
public sealed class ControlledGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = grainId.Key.ToString()!;
        var member = key.Contains('/', StringComparison.Ordinal) ? key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..] : "";
        var fault = StorageFaults.For(key.Split('/')[0], member);
        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay).ConfigureAwait(false);
        }
        if (fault.Fail)
        {
            throw new IOException($"injected storage failure for {key}");
        }
        await inner.WriteStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        if (grainState.State is MemberState s)
        {
            StorageJournal.Writes.Enqueue(new JournalEntry(key, s.Epoch, s.VoteEpoch, s.VotedFor, s.AnnouncedEpoch, s.AnnouncedPrimary));
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

public readonly record struct StorageFault(bool Fail, TimeSpan Delay);

/// <summary>Which writes fail or stall, by group (and optionally member). Shared by the in-process silos.</summary>
public static class StorageFaults
{
    private static readonly ConcurrentDictionary<string, StorageFault> Faults = new(StringComparer.Ordinal);

    public static void Set(string group, StorageFault fault, string? member = null) => Faults[$"{group}/{member}"] = fault;

    public static void Clear(string group) =>
        Faults.Keys.Where(k => k.StartsWith(group + "/", StringComparison.Ordinal)).ToList().ForEach(k => Faults.TryRemove(k, out _));

    public static StorageFault For(string group, string member) =>
        Faults.TryGetValue($"{group}/{member}", out var f) ? f : Faults.GetValueOrDefault($"{group}/");
}

public readonly record struct JournalEntry(string Key, ulong Epoch, ulong VoteEpoch, string? VotedFor, ulong AnnouncedEpoch, string? AnnouncedPrimary);

public static class StorageJournal
{
    public static ConcurrentQueue<JournalEntry> Writes { get; } = new();

    /// <summary>Every (member, epoch) that stored two different candidates: must stay empty.</summary>
    public static List<string> DoubleVotes(string group) =>
        [.. Writes.Where(w => w.Key.StartsWith(group + "/", StringComparison.Ordinal) && w.VotedFor is not null)
            .GroupBy(w => (w.Key, w.VoteEpoch))
            .Where(g => g.Select(w => w.VotedFor).Distinct().Count() > 1)
            .Select(g => $"{g.Key.Key} voted for {string.Join(" and ", g.Select(w => w.VotedFor).Distinct())} in epoch {g.Key.VoteEpoch}")];
}
