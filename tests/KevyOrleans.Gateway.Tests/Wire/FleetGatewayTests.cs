using KevyOrleans.Abstractions;
using KevyOrleans.Gateway.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Xunit.Abstractions;

namespace KevyOrleans.Gateway.Tests.Wire;

/// <summary>
/// Three silos of one cluster on one machine. Per silo, <c>Gateway:Members</c> picks the listeners it opens:
/// silo A listens for h1, silo B for h2, silo C for none. The external member e3 (a peer) keeps reaching
/// h1 when h1's grain moves to another silo, and hears h1 from there, because a listener forwards to the
/// grain wherever it is active and the outbound link opens from the grain's silo.
/// </summary>
public sealed class FleetGatewayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, TestMember[]> _groups = new()
    {
        ["fleet"] = [new TestMember("h1", true), new TestMember("h2", true), new TestMember("e3", false)],
    };
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"kevy-gw-fleet-{Guid.NewGuid():N}");
    private readonly string _prefix = $"g{Guid.NewGuid():N}"[..8];
    private readonly List<GatewaySilo> _silos = [];
    private ExternalPeer? _peer;
    private PeerHeartbeat? _beat;

    public async Task InitializeAsync()
    {
        string Key(string member) => $"{_prefix}-fleet/{member}";
        var a = new GatewaySilo(_groups, g => g.Members = Key("h1"), dataDirectory: _data, prefix: _prefix);
        _silos.Add(a);
        _silos.Add(new GatewaySilo(_groups, g => g.Members = Key("h2"), a.SiloPort, _data, _prefix));
        _silos.Add(new GatewaySilo(_groups, g => g.Enabled = false, a.SiloPort, _data, _prefix));
        var e3 = a.Member("fleet", "e3");
        _peer = new ExternalPeer($"{_prefix}-fleet/e3", e3.ElectPort);
        foreach (var silo in _silos)
        {
            await silo.StartAsync();
        }
        var targets = new Dictionary<string, int> { ["h1"] = a.Member("fleet", "h1").ElectPort, ["h2"] = a.Member("fleet", "h2").ElectPort };
        _beat = new PeerHeartbeat(_peer, "e3", () => RawFrames.Hb(1, "e3", "replica", 0), targets);
    }

    public async Task DisposeAsync()
    {
        if (_beat is not null)
        {
            await _beat.DisposeAsync();
        }
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task An_external_peer_keeps_reaching_a_member_that_moved_and_hears_it_from_its_new_silo()
    {
        var a = _silos[0];
        // Each silo opens only the listeners it was told to.
        Assert.Equal(["h1"], Listeners(a));
        Assert.Equal(["h2"], Listeners(_silos[1]));
        Assert.Empty(Listeners(_silos[2]));

        var before = await WaitUntil(async () => await a.Snapshot("fleet", "h1") is var s && Heard(s, "e3") ? s : null, "h1 hears e3");
        var h2 = await a.Snapshot("fleet", "h2");
        var silos = _silos.Select(s => s.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress).ToList();
        var target = silos.First(s => s.ToString() != before.Silo && s.ToString() != h2.Silo); // h1 and h2 may still share a silo
        output.WriteLine($"h1 on {before.Silo}, h2 on {h2.Silo}; moving h1 to {target}");

        var movedAt = DateTime.UtcNow;
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        await a.Grains.GetGrain<IMemberGrain>(MemberKey.Format(a.Group("fleet"), "h1")).AsReference<IGrainManagementExtension>().MigrateOnIdle();
        RequestContext.Clear();

        // The new activation knows e3 only from frames that reached it after the move: through silo A's listener.
        var after = await WaitUntil(async () => await a.Snapshot("fleet", "h1") is var s && s.Silo == target.ToString() && Heard(s, "e3") ? s : null,
            "h1, on its new silo, hears e3");
        Assert.Equal(before.Epoch, after.Epoch);
        // And e3 hears h1 from the new silo: its outbound link to e3 opened there.
        await WaitUntil(() => Task.FromResult(_peer!.Received.Any(f => f.At > movedAt.AddMilliseconds(500) && f.Elements is ["HB", _, "h1", ..]) ? "" : null),
            "e3 hears h1 after the move");
        output.WriteLine($"h1 moved to {after.Silo}; e3 seen {after.Peers.Single(p => p.Id == "e3").SinceLastSeenMs:0} ms ago");
    }

    private static bool Heard(MemberSnapshot s, string peer) => s.Peers.Single(p => p.Id == peer).SinceLastSeenMs is < GatewaySilo.DownAfterMs;

    private static List<string> Listeners(GatewaySilo silo) =>
        [.. silo.Services.GetRequiredService<GatewayService>().Listeners.Select(l => l.Member)];

    private static async Task<T> WaitUntil<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }
}
