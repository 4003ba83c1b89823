using System.Collections.Concurrent;

namespace KevyOrleans.Grains.Placement;

/// <summary>
/// The member grains active on this silo, by key: what a member checks first to know whether a peer
/// shares its silo (authoritative here, unlike a directory cache), and what the admin API lists per silo.
/// </summary>
public sealed class LocalMembers
{
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);

    /// <summary>A member activated here.</summary>
    public void Add(string key) => _active[key] = 0;

    /// <summary>A member's activation here ended.</summary>
    public void Remove(string key) => _active.TryRemove(key, out _);

    /// <summary>Whether the member keyed <paramref name="key"/> is active on this silo.</summary>
    public bool Contains(string key) => _active.ContainsKey(key);

    /// <summary>The keys of the members active here, sorted.</summary>
    public IReadOnlyList<string> Keys => [.. _active.Keys.Order(StringComparer.Ordinal)];
}
