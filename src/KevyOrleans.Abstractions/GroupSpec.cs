namespace KevyOrleans.Abstractions;

/// <summary>
/// A group added at run time (<c>PUT /groups/{name}</c>), in the configuration file's own terms:
/// kevy's member-list string, the hosted and witness ids, the data-node kind.
/// </summary>
/// <param name="Name">The group's name.</param>
/// <param name="Peers">kevy's member-list string (<c>id@host:elect_port:client_port,...</c>).</param>
/// <param name="Hosted">Comma-separated ids this deployment runs.</param>
/// <param name="Witnesses">Comma-separated ids of the witnesses.</param>
/// <param name="DataNodes"><c>kevy</c> or <c>redis</c>.</param>
[GenerateSerializer]
[Alias("kevy.group-spec")]
public sealed record GroupSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Peers,
    [property: Id(2)] string Hosted,
    [property: Id(3)] string Witnesses,
    [property: Id(4)] string DataNodes);

/// <summary>The run-time groups as the registry holds them; <paramref name="Version"/> grows with every change.</summary>
[GenerateSerializer]
[Alias("kevy.group-registry")]
public sealed record GroupRegistrySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<GroupSpec> Groups);

/// <summary>
/// The cluster's one registry of groups added at run time (key 0), kept durably. Every silo reads it
/// (<see cref="GetVersion"/>, then <see cref="Get"/> when it changed) and serves what it holds besides
/// the configuration file's groups, which it never holds.
/// </summary>
public interface IGroupRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Every run-time group and the registry's version.</summary>
    Task<GroupRegistrySnapshot> Get();

    /// <summary>The registry's version: cheap, for the silos' polling.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>
    /// Adds <paramref name="spec"/> (already validated by the caller) durably. Returns false, changing
    /// nothing, when a group of that name is registered with another definition: a running group's member
    /// list never changes in place (remove it, then add it). The same definition again is a no-op (true).
    /// </summary>
    Task<bool> Add(GroupSpec spec);

    /// <summary>Removes the group durably; false when it was not registered.</summary>
    Task<bool> Remove(string name);
}
