using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Testing;


namespace KevyOrleans.Gateway.Tests.Wire;

/// <summary>
/// Group "vote": externals e1, e2 (played by peers) plus hosted h3 and the hosted witness w4.
/// Group "mixed": externals e1, e2 plus hosted h3, h4. The peers listen before the silo starts.
/// </summary>
public sealed class MixedGroupFixture : IAsyncLifetime
{
    private readonly List<ExternalPeer> _peers = [];
    private readonly Dictionary<string, PeerHeartbeat> _beats = [];

    /// <summary>The running heartbeat loop of an external peer (tests stop it to make the peer fall silent).</summary>
    public PeerHeartbeat Beat(string group, string id) => _beats[$"{group}/{id}"];

    public GatewaySilo Silo { get; } = new(new()
    {
        ["vote"] = [new TestMember("e1", false), new TestMember("e2", false), new TestMember("h3", true), new TestMember("w4", true, Witness: true)],
        ["mixed"] = [new TestMember("e1", false), new TestMember("e2", false), new TestMember("h3", true), new TestMember("h4", true)],
    });

    public ExternalPeer Peer(string group, string id) => _peers.Single(p => p.Id == $"{group}/{id}");

    public async Task InitializeAsync()
    {
        foreach (var group in new[] { "vote", "mixed" })
        {
            foreach (var id in new[] { "e1", "e2" })
            {
                _peers.Add(new ExternalPeer($"{group}/{id}", Silo.Member(group, id).ElectPort));
            }
        }
        // In "mixed", h3 holds more data than h4: it is the one to take over.
        ScriptedDataNodes.Get(Silo.Group("mixed"), "h3").Offset = 400;
        ScriptedDataNodes.Get(Silo.Group("mixed"), "h4").Offset = 300;
        // The external members run from the start, as kevy servers would: in "vote" they hold more data
        // than h3 (so h3 never runs); in "mixed" e1 is the primary and e2 a replica that votes.
        var vote = new Dictionary<string, int> { ["h3"] = Silo.Member("vote", "h3").ElectPort, ["w4"] = Silo.Member("vote", "w4").ElectPort };
        var mixed = new Dictionary<string, int> { ["h3"] = Silo.Member("mixed", "h3").ElectPort, ["h4"] = Silo.Member("mixed", "h4").ElectPort };
        _beats["vote/e1"] = new PeerHeartbeat(Peer("vote", "e1"), "e1", () => RawFrames.Hb(1, "e1", "replica", 100), vote);
        _beats["vote/e2"] = new PeerHeartbeat(Peer("vote", "e2"), "e2", () => RawFrames.Hb(1, "e2", "replica", 100), vote);
        _beats["mixed/e1"] = new PeerHeartbeat(Peer("mixed", "e1"), "e1", () => RawFrames.Hb(2, "e1", "primary", 500), mixed);
        _beats["mixed/e2"] = new PeerHeartbeat(Peer("mixed", "e2"), "e2", () => RawFrames.Hb(2, "e2", "replica", 100), mixed, votes: true);
        await Silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var b in _beats.Values)
        {
            await b.DisposeAsync();
        }
        foreach (var p in _peers)
        {
            await p.DisposeAsync();
        }
        await Silo.DisposeAsync();
    }
}
