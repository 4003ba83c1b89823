using KevyOrleans.Abstractions;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Orleans.TestingHost;

namespace KevyOrleans.Cluster.Tests.Support;

public enum VoteStore { File, AzureTable }

/// <summary>
/// A real 3-silo Orleans cluster (TestingHost) with Azure Table clustering on Azurite, so any silo
/// can be killed, and <c>kevy-votes</c> on the real file store or the real Azure Table store.
/// Every test uses its own group, so one cluster serves a whole test class.
/// </summary>
public abstract class KevyClusterFixture : IAsyncLifetime
{
    /// <summary>Short timings keep the suite fast: HB 100 ms, DOWN after 1 s (fixtures may lengthen down_after).</summary>
    public const int HeartbeatMs = 100;

    public virtual int DownAfterMs => 1000;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"kevy-votes-{Guid.NewGuid():N}");

    protected KevyClusterFixture(VoteStore store) => Store = store;

    public VoteStore Store { get; }

    public AzuriteFixture Azurite { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Group names are unique per fixture: the in-process registries are shared.</summary>
    public string Prefix { get; } = $"t{Guid.NewGuid():N}"[..9];

    public string Group(string name) => $"{Prefix}-{name}";

    /// <summary>The groups this cluster serves: (short name, size).</summary>
    protected abstract IReadOnlyList<(string Name, int Size)> Groups { get; }

    /// <summary>How many silos start with the cluster (3 unless a fixture grows the cluster itself).</summary>
    protected virtual short InitialSilos => 3;

    /// <summary>Further silo configuration keys (<c>Kevy:Groups:N:...</c> of the groups above, by index), for a fixture's own settings.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Faults to arm before the silos start (e.g. storage failing from the first write).</summary>
    protected virtual void BeforeStart() { }

    public static string Peers(int size) =>
        string.Join(',', Enumerable.Range(1, size).Select(i => $"n{i}@127.0.0.1:{17000 + i}:{16000 + i}"));

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync().ConfigureAwait(false);
        BeforeStart();
        var builder = new TestClusterBuilder(InitialSilos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = Prefix;
        builder.Properties["Test:Azurite"] = Azurite.ConnectionString;
        builder.Properties["Test:VoteStore"] = Store.ToString();
        builder.Properties["Test:DataDirectory"] = _dataDirectory;
        builder.Properties["Kevy:Storage:Provider"] = "Custom";
        builder.Properties["Kevy:StorageTimeoutMs"] = "1000";
        builder.Properties["Kevy:Timings:HeartbeatMs"] = HeartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties["Kevy:Timings:DownAfterMs"] = DownAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties["Kevy:Timings:ElectionTimeoutMs"] = "600";
        builder.Properties["Kevy:Timings:BackoffMs"] = "200";
        builder.Properties["Kevy:Timings:BackoffJitterMs"] = "400";
        for (var i = 0; i < Groups.Count; i++)
        {
            var (name, size) = Groups[i];
            builder.Properties[$"Kevy:Groups:{i}:Name"] = Group(name);
            builder.Properties[$"Kevy:Groups:{i}:Peers"] = Peers(size);
            builder.Properties[$"Kevy:Groups:{i}:Hosted"] = string.Join(',', Enumerable.Range(1, size).Select(n => $"n{n}"));
        }
        foreach (var (key, value) in Settings)
        {
            builder.Properties[key] = value;
        }
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        builder.AddClientBuilderConfigurator<TestClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync().ConfigureAwait(false);
            await Cluster.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Azurite.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
    }

    public IGroupGrain GroupGrain(string name) => Cluster.GrainFactory.GetGrain<IGroupGrain>(Group(name));

    public IMemberGrain Member(string name, string node) => Cluster.GrainFactory.GetGrain<IMemberGrain>(MemberKey.Format(Group(name), node));

    public async Task<List<MemberSnapshot>> Snapshots(string name, int size)
    {
        var all = new List<MemberSnapshot>();
        for (var i = 1; i <= size; i++)
        {
            try
            {
                all.Add(await Member(name, $"n{i}").GetStatus().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false));
            }
#pragma warning disable CA1031 // an unreachable member simply is not in the snapshot
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        return all;
    }

    /// <summary>
    /// The group's history once it holds <paramref name="epoch"/> (members report one-way, so the
    /// history may trail their own view by a moment); fails the test after a generous bound.
    /// </summary>
    public async Task<IReadOnlyList<ElectionRecord>> HistoryWith(string name, ulong epoch)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var history = await GroupGrain(name).GetHistory().ConfigureAwait(false);
            if (history.Any(h => h.Epoch == epoch) || DateTime.UtcNow > deadline)
            {
                return history;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until exactly one member is primary and every member (of those named) knows it; returns it.
    /// The bound is generous: it is the behaviour ("a primary is elected"), not a timing claim.
    /// </summary>
    public async Task<MemberSnapshot> WaitForOnePrimary(string name, int size, IReadOnlyCollection<string>? among = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        List<MemberSnapshot> last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = [.. (await Snapshots(name, size).ConfigureAwait(false)).Where(s => among is null || among.Contains(s.Member))];
            var primaries = last.Where(s => s.Role == Role.Primary).ToList();
            if (primaries.Count == 1 && last.Count == (among?.Count ?? size) && last.All(s => s.KnownPrimary == primaries[0].Member))
            {
                return primaries[0];
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        throw new TimeoutException($"group {Group(name)}: no single agreed primary; members: " +
            string.Join("; ", last.Select(s => $"{s.Member} {s.Role} epoch {s.Epoch} knows {s.KnownPrimary ?? "-"} on {s.Silo}")));
    }
}
