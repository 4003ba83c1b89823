using KevyOrleans.Grains;

namespace KevyOrleans.Hosting;

/// <summary>
/// The <c>Kevy</c> section read once (<see cref="KevyConfiguration"/>): the bound options, the typed
/// choices (vote storage, clustering and their Azure accounts), the group catalog, and every error
/// and warning. Everything that acts on configuration consumes this.
/// </summary>
public sealed class KevySettings
{
    private readonly IReadOnlyDictionary<Type, object> _hostSections;

    internal KevySettings(KevyElectionOptions options, IReadOnlyList<GroupDefinition> groups, VoteStorageChoice? storage, ClusteringChoice? clustering,
        IReadOnlyList<ConfigurationError> errors, IReadOnlyList<string> warnings, IReadOnlyDictionary<Type, object> hostSections)
    {
        Options = options;
        Groups = groups;
        Storage = storage;
        Clustering = clustering;
        Errors = errors;
        Warnings = warnings;
        _hostSections = hostSections;
    }

    /// <summary>The section as bound (defaults where it binds nothing).</summary>
    public KevyElectionOptions Options { get; }

    /// <summary>The valid groups (each with its members, timings, data-node kind and credentials).</summary>
    public IReadOnlyList<GroupDefinition> Groups { get; }

    /// <summary>The vote storage; null when <c>Kevy:Storage</c> is invalid.</summary>
    public VoteStorageChoice? Storage { get; }

    /// <summary>The clustering; null when <c>Kevy:Clustering</c> is invalid.</summary>
    public ClusteringChoice? Clustering { get; }

    /// <summary>Every error, each naming its key and value; empty when the section is valid.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    /// <summary>The errors' messages.</summary>
    public IReadOnlyList<string> Messages => [.. Errors.Select(e => e.Message)];

    /// <summary>What is allowed but probably not meant (a group of two, no group at all).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when there is no error.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>A durable write slower than this counts as failed.</summary>
    public TimeSpan StorageTimeout => TimeSpan.FromMilliseconds(Options.StorageTimeoutMs);

    /// <summary>How often every silo makes sure every hosted member is active.</summary>
    public TimeSpan SupervisorInterval => KevyConfiguration.SupervisorInterval(Options);

    /// <summary>A host section (<see cref="KevyHostSection"/>) as bound; a fresh default when it did not bind or was not read.</summary>
    public T Section<T>() where T : class, new() => _hostSections.TryGetValue(typeof(T), out var value) ? (T)value : new T();
}
