using System.Globalization;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting;

/// <summary>
/// The one reader of the <c>Kevy</c> section: binds it once, checks every key and value once (unknown
/// keys at every level included), and returns <see cref="KevySettings"/>, the model every consumer uses.
/// Every error names its key and the bad value.
/// </summary>
public static class KevyConfiguration
{
    private const string S = KevyElectionOptions.SectionName;

    /// <summary>
    /// Reads the <c>Kevy</c> section. With <paramref name="hostSections"/> (the silo) every key at every level
    /// must be known: the election's own and those sections. Without them (a host that calls
    /// <c>AddKevyElection</c> with its own configuration) top-level subsections other than the election's are
    /// left to their owners; keys inside the election's subsections and top-level values are still checked.
    /// </summary>
    public static KevySettings Read(IConfiguration kevySection, IReadOnlyCollection<KevyHostSection>? hostSections = null)
    {
        ArgumentNullException.ThrowIfNull(kevySection);
        var section = kevySection as IConfigurationSection ?? kevySection.GetSection(S);
        var errors = new List<ConfigurationError>();
        Func<string, bool> isHostSection = hostSections is null
            ? key => section.GetSection(key).GetChildren().Any()
            : key => hostSections.Any(h => string.Equals(h.Name, key, StringComparison.OrdinalIgnoreCase));
        var unconvertible = ConfigurationKeys.Check(section, typeof(KevyElectionOptions), errors, isHostSection);
        var options = Bind<KevyElectionOptions>(section, errors, unconvertible > 0);
        var hosted = new Dictionary<Type, object>();
        foreach (var host in hostSections ?? [])
        {
            if (host.Read(section.GetSection(host.Name), errors) is { } value)
            {
                hosted[host.OptionsType] = value;
            }
        }
        return options is null
            ? new KevySettings(new KevyElectionOptions(), [], null, null, errors, [], hosted)
            : Validate(options, errors, hosted);
    }

    /// <summary>Checks options a host built in code (no keys to misspell there) and returns the model.</summary>
    public static KevySettings Read(KevyElectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Validate(options, [], new Dictionary<Type, object>());
    }

    /// <summary>down_after / 4 by default: a lost silo's members are back well within 2 x down_after.</summary>
    internal static TimeSpan SupervisorInterval(KevyElectionOptions options) =>
        TimeSpan.FromMilliseconds(options.SupervisorIntervalMs > 0
            ? options.SupervisorIntervalMs
            : Math.Max(50, options.Timings.DownAfterMs / 4));

    /// <summary>
    /// Binds <paramref name="section"/>; null with an error when it does not bind. When <paramref name="reported"/>
    /// (the key check already named the bad value) the binder's own message is not added a second time.
    /// </summary>
    internal static T? Bind<T>(IConfigurationSection section, List<ConfigurationError> errors, bool reported) where T : class, new()
    {
        try
        {
            return section.Get<T>(o => o.ErrorOnUnknownConfiguration = false) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            if (!reported)
            {
                errors.Add(new(section.Path, null, e.Message));
            }
            return null;
        }
    }

    private static KevySettings Validate(KevyElectionOptions options, List<ConfigurationError> errors, IReadOnlyDictionary<Type, object> hosted)
    {
        var warnings = new List<string>();
        var storage = ReadStorage(options.Storage ?? new KevyStorageOptions(), errors);
        var timingsValid = CheckTimings(options.Timings ?? new KevyTimingsOptions(), errors);
        var timings = timingsValid ? options.Timings!.ToElectionTimings() : ElectionTimings.Default;
        if (options.StorageTimeoutMs <= 0)
        {
            errors.Add(new($"{S}:StorageTimeoutMs", Text(options.StorageTimeoutMs), $"{S}:StorageTimeoutMs is {options.StorageTimeoutMs}; it must be greater than 0"));
        }
        if (options.SupervisorIntervalMs < 0)
        {
            errors.Add(new($"{S}:SupervisorIntervalMs", Text(options.SupervisorIntervalMs),
                $"{S}:SupervisorIntervalMs is {options.SupervisorIntervalMs}; it must be 0 (automatic) or more"));
        }
        var clustering = ClusteringReader.Read(options, timingsValid, errors);
        CheckVoteStorage(storage, clustering, errors);
        var groups = GroupReader.Read(options.Groups ?? [], timings, errors, warnings);
        return new KevySettings(options, groups, storage, clustering, errors, warnings, hosted);
    }

    private static VoteStorageChoice? ReadStorage(KevyStorageOptions storage, List<ConfigurationError> errors)
    {
        switch (ProviderName.Parse<VoteStorageProvider>(storage.Provider))
        {
            case VoteStorageProvider.File when string.IsNullOrWhiteSpace(storage.Path):
                errors.Add(new($"{S}:Storage:Path", storage.Path, $"{S}:Storage:Path is empty; the File provider needs a directory"));
                return null;
            case VoteStorageProvider.File:
                return new(VoteStorageProvider.File, storage.Path, null);
            case VoteStorageProvider.AzureTable:
                return AzureTableAccount.Read($"{S}:Storage", storage.ConnectionString, storage.ServiceUri, errors) is { } account
                    ? new(VoteStorageProvider.AzureTable, null, account)
                    : null;
            case VoteStorageProvider.Custom:
                return new(VoteStorageProvider.Custom, null, null);
            default:
                errors.Add(new($"{S}:Storage:Provider", storage.Provider,
                    $"{S}:Storage:Provider is '{storage.Provider}'; it must be 'File', 'AzureTable' or 'Custom'"));
                return null;
        }
    }

    /// <summary>
    /// The elector's timing rules (<see cref="ElectionTimings.Validate"/>), stated in the configuration's names and
    /// units; a test holds the two to the same verdicts.
    /// </summary>
    private static bool CheckTimings(KevyTimingsOptions t, List<ConfigurationError> errors)
    {
        var before = errors.Count;
        void Add(string key, int value, string rule) =>
            errors.Add(new($"{S}:Timings:{key}", Text(value), $"{S}:Timings: {key} is {Text(value)} ms; {rule}"));
        if (t.HeartbeatMs <= 0)
        {
            Add(nameof(t.HeartbeatMs), t.HeartbeatMs, "it must be greater than 0");
        }
        if (t.DownAfterMs <= 0)
        {
            Add(nameof(t.DownAfterMs), t.DownAfterMs, "it must be greater than 0");
        }
        if (t.ElectionTimeoutMs <= 0)
        {
            Add(nameof(t.ElectionTimeoutMs), t.ElectionTimeoutMs, "it must be greater than 0");
        }
        if (t.BackoffMs < 0)
        {
            Add(nameof(t.BackoffMs), t.BackoffMs, "it must not be negative");
        }
        if (t.BackoffJitterMs < 0)
        {
            Add(nameof(t.BackoffJitterMs), t.BackoffJitterMs, "it must not be negative");
        }
        const int Beats = ElectionTimings.MinimumDownAfterBeats;
        if (t.HeartbeatMs > 0 && t.DownAfterMs < (long)Beats * t.HeartbeatMs)
        {
            Add(nameof(t.DownAfterMs), t.DownAfterMs, $"it must be at least {Beats} x HeartbeatMs ({Text((long)Beats * t.HeartbeatMs)} ms), " +
                "so that the primary's lease window (DownAfterMs - 2 x HeartbeatMs) is at least 2 x HeartbeatMs");
        }
        return errors.Count == before;
    }

    /// <summary>
    /// Configurations that lose votes. A member's vote record must be one record wherever the member runs: with
    /// several machines (AzureTable clustering) a member can move to another silo, and the file store keeps each
    /// silo's records on its own disk, so the member would read an old record there and could vote twice in one
    /// epoch. Safe: the file store with Localhost clustering, or Azure Table storage with either. Custom storage
    /// is the host's own responsibility.
    /// </summary>
    private static void CheckVoteStorage(VoteStorageChoice? storage, ClusteringChoice? clustering, List<ConfigurationError> errors)
    {
        const string StorageKey = S + ":Storage:Provider";
        const string ClusteringKey = KevyClusteringOptions.SectionName + ":Provider";
        if (storage?.Provider == VoteStorageProvider.File && clustering?.Provider == ClusteringProvider.AzureTable)
        {
            errors.Add(new(StorageKey, "File", $"{StorageKey} is 'File' with {ClusteringKey} 'AzureTable': the file store keeps each silo's votes on its own disk, " +
                "so a member that moves to another silo reads an old record and can vote twice; " +
                $"use {StorageKey}=AzureTable with AzureTable clustering (the file store is safe only with Localhost clustering, on one machine)"));
        }
    }

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
