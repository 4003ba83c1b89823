using KevyOrleans.Abstractions;
using KevyOrleans.Grains;

namespace KevyOrleans.Hosting;

/// <summary>
/// Checks a run-time group (<c>PUT /groups/{name}</c>) with exactly the rules of <c>Kevy:Groups:N</c> in the
/// configuration file (<see cref="GroupReader"/>, not a copy), this deployment's timings, plus what only a
/// run-time group needs: its name is not one of the file's, and it hosts every member (external kevy members
/// need elect listeners, which the gateway opens at start from the file).
/// </summary>
public static class RuntimeGroups
{
    private const string Prefix = KevyElectionOptions.SectionName + ":Groups:0:";

    /// <summary>The group as this deployment runs it, or the errors; each error's key is the spec's field (<c>Peers</c>, <c>Hosted</c>, ...).</summary>
    public static (GroupDefinition? Group, IReadOnlyList<ConfigurationError> Errors) Read(KevySettings settings, RuntimeGroupCatalog catalog, GroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ConfigurationError>();
        if (catalog.IsFromFile(spec.Name))
        {
            errors.Add(new("Name", spec.Name, $"Name: group '{spec.Name}' is defined in the configuration file, which owns it"));
            return (null, errors);
        }
        var options = new KevyGroupOptions { Name = spec.Name, Peers = spec.Peers, Hosted = spec.Hosted, Witnesses = spec.Witnesses, DataNodes = spec.DataNodes };
        var found = new List<ConfigurationError>();
        var groups = GroupReader.Read([options], settings.Options.Timings!.ToElectionTimings(), found, []);
        errors.AddRange(found.Select(e => new ConfigurationError(Field(e.Key), e.Value, e.Message.Replace(Prefix, "", StringComparison.Ordinal))));
        if (groups.Count == 1 && groups[0] is var group && group.Election.Members.FirstOrDefault(m => !group.IsHosted(m.Id)) is { } external)
        {
            errors.Add(new("Hosted", spec.Hosted, $"Hosted: '{external.Id}' is not hosted; a group added at run time must host every member " +
                "(external kevy members need elect listeners, opened at start for the configuration file's groups only)"));
        }
        return errors.Count == 0 ? (groups[0], errors) : (null, errors);
    }

    private static string Field(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
}
