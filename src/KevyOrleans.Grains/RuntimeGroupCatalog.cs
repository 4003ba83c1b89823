namespace KevyOrleans.Grains;

/// <summary>
/// The groups this silo serves: the configuration file's, which never change while it runs, and the
/// run-time groups of the cluster's registry (<see cref="KevyOrleans.Abstractions.IGroupRegistryGrain"/>),
/// replaced as a whole whenever the registry's version changes. A name in the file is always the
/// file's: the registry never holds it (the admin API refuses it), and one it holds anyway is ignored.
/// Readers see one consistent set at a time; nothing is locked on the read path.
/// </summary>
public sealed class RuntimeGroupCatalog : IGroupCatalog
{
    private readonly Dictionary<string, GroupDefinition> _file;
    private volatile View _view;

    /// <param name="fileGroups">The configuration file's groups; their names must be unique.</param>
    public RuntimeGroupCatalog(IEnumerable<GroupDefinition> fileGroups)
    {
        _file = fileGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        _view = new View(-1, new Dictionary<string, GroupDefinition>(_file, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<GroupDefinition> Groups => _view.Groups.Values;

    /// <summary>The registry version last applied; -1 before the first.</summary>
    public long Version => _view.Version;

    /// <inheritdoc/>
    public GroupDefinition? Find(string name) => _view.Groups.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="name"/> is one of the configuration file's groups.</summary>
    public bool IsFromFile(string name) => _file.ContainsKey(name);

    /// <summary>Replaces the run-time groups with <paramref name="runtime"/>, as of registry <paramref name="version"/>.</summary>
    /// <returns>The names added and removed by this change.</returns>
    public (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) SetRuntimeGroups(long version, IEnumerable<GroupDefinition> runtime)
    {
        var next = new Dictionary<string, GroupDefinition>(_file, StringComparer.Ordinal);
        foreach (var g in runtime)
        {
            next.TryAdd(g.Name, g);
        }
        var before = _view.Groups;
        _view = new View(version, next);
        return ([.. next.Keys.Where(n => !before.ContainsKey(n)).Order(StringComparer.Ordinal)],
                [.. before.Keys.Where(n => !next.ContainsKey(n)).Order(StringComparer.Ordinal)]);
    }

    private sealed record View(long Version, Dictionary<string, GroupDefinition> Groups);
}
