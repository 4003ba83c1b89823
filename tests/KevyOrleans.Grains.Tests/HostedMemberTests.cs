using System.Diagnostics.Metrics;
using KevyOrleans.Abstractions;
using KevyOrleans.Election;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Grains.Tests.Support;
using KevyOrleans.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace KevyOrleans.Grains.Tests;

/// <summary>
/// The member runner with an in-memory store and data node. The same paths run on the real file and
/// Azure Table stores in the cluster tests; here each failure mode is pinned precisely.
/// </summary>
public sealed class HostedMemberTests : IDisposable
{
    private static readonly GroupDefinition Group = ScriptedMemberBench.Group();

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MemoryStore _store = new();
    private readonly Outbox _outbox = new();
    private readonly ProgrammableDataNode _dataNode = new();

    public void Dispose() => _services.Dispose();

    private HostedMember Member(string id = "n2", IDataNode? dataNode = null) =>
        new(Group, id, _store, _outbox, id == "w3" ? null : dataNode ?? _dataNode, TimeProvider.System, NullLogger.Instance,
            new KevyMetrics(_services.GetRequiredService<IMeterFactory>()), TimeSpan.FromMilliseconds(200), new Random(1));

    [Fact]
    public async Task A_committed_vote_is_sent_after_it_is_stored()
    {
        var member = Member();
        await member.TickAsync(); // the first probe (rule 11: no vote before it)
        _outbox.Sent.Clear();
        await member.ReceiveAsync(ElectionMessage.Offer(2, "n1", 5));
        Assert.Equal(new Vote(2, "n1"), _store.Stored!.Vote);
        Assert.Equal(("n1", ElectionMessage.Accept(2, "n2")), Assert.Single(_outbox.Sent));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("conflict")]
    [InlineData("timeout")]
    public async Task A_failed_write_sends_nothing_and_retires_the_member(string failure)
    {
        var member = Member();
        await member.TickAsync(); // the first probe (rule 11: no vote before it)
        _outbox.Sent.Clear();
        _store.Failure = failure;
        await member.ReceiveAsync(ElectionMessage.Offer(2, "n1", 5));
        Assert.Empty(_outbox.Sent);
        Assert.True(member.IsRetired);
        await member.ReceiveAsync(ElectionMessage.Offer(3, "n1", 0));
        await member.TickAsync();
        Assert.Empty(_outbox.Sent);
    }

    [Fact]
    public async Task Heartbeats_go_to_every_other_member_and_never_touch_storage()
    {
        var member = Member();
        await member.TickAsync();
        Assert.Equal(["n1", "w3"], _outbox.Sent.Select(s => s.To).Order());
        Assert.All(_outbox.Sent, s => Assert.Equal(Verb.Heartbeat, s.Message.Verb));
        Assert.Equal(0, _store.Writes);
    }

    [Fact]
    public async Task A_silent_data_node_silences_the_member()
    {
        _dataNode.Alive = false;
        var member = Member();
        await member.TickAsync();
        Assert.Empty(_outbox.Sent);
    }

    [Fact]
    public async Task A_failing_data_node_action_does_not_undo_the_election()
    {
        var member = Member();
        _dataNode.FailActions = true;
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "h:6001"));
        Assert.Equal("n1", member.Snapshot("s").KnownPrimary);
        Assert.Equal(new Announcement(2, "n1"), _store.Stored!.LastAnnouncement);
        _dataNode.FailActions = false;
        await member.ReceiveAsync(ElectionMessage.Announce(3, "n1", "h:6001"));
        Assert.Empty(_dataNode.Applied); // n1 was already the primary: nothing to redo
    }

    [Fact]
    public async Task Following_uses_the_primarys_client_address_from_the_member_list()
    {
        var member = Member();
        await member.ReceiveAsync(ElectionMessage.Announce(2, "n1", "10.1.1.1:9999"));
        Assert.Equal(["follow h:6001"], _dataNode.Applied);
    }

    [Fact]
    public void A_data_member_needs_a_data_node_and_a_witness_has_none()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new HostedMember(Group, "n1", _store, _outbox, null, TimeProvider.System, NullLogger.Instance,
                new KevyMetrics(_services.GetRequiredService<IMeterFactory>()), TimeSpan.FromSeconds(1), new Random(1)));
        Assert.Contains("needs a data node", e.Message, StringComparison.Ordinal);
        Assert.True(Member("w3").Snapshot("s").IsWitness);
    }

    [Theory]
    [InlineData(Verb.Offer)]
    [InlineData(Verb.Announce)]
    [InlineData(Verb.Heartbeat)]
    public async Task A_frame_from_a_non_member_is_counted_as_dropped_under_its_own_verb(Verb verb)
    {
        using var dropped = new CounterTags(_services.GetRequiredService<IMeterFactory>(), "kevy.frames.dropped", "verb", "reason");
        var member = Member();
        await member.ReceiveAsync(verb switch
        {
            Verb.Offer => ElectionMessage.Offer(6, "intruder", 99),
            Verb.Announce => ElectionMessage.Announce(6, "intruder", "h:6009"),
            _ => ElectionMessage.Heartbeat(6, "intruder", Role.Primary, 99),
        });
        Assert.Equal((verb.ToWire(), "stranger"), Assert.Single(dropped));
    }

    [Fact]
    public void The_member_state_round_trips_the_durable_record()
    {
        var record = new DurableRecord(7, new Vote(7, "n1"), new Announcement(6, "n2"));
        Assert.Equal(record, MemberState.From(record).ToRecord());
        Assert.Equal(DurableRecord.Initial, new MemberState().ToRecord());
    }

    private sealed class MemoryStore : IMemberStore
    {
        public DurableRecord? Loaded => null;

        public DurableRecord? Stored { get; private set; }

        public int Writes { get; private set; }

        public string? Failure { get; set; }

        public async Task CommitAsync(DurableRecord record, CancellationToken cancellationToken)
        {
            switch (Failure)
            {
                case "error": throw new IOException("disk gone");
                case "conflict": throw new InconsistentStateException("etag mismatch", "2", "1");
                case "timeout": await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); break;
            }
            Stored = record;
            Writes++;
        }
    }

    private sealed class Outbox : IMemberOutbox
    {
        public List<(string To, ElectionMessage Message)> Sent { get; } = [];

        public void Deliver(string to, in ElectionMessage message) => Sent.Add((to, message));

        public void ReportElection(ElectionRecord record) { }
    }

    private sealed class ProgrammableDataNode : IDataNode
    {
        public bool Alive { get; set; } = true;

        public bool FailActions { get; set; }

        public List<string> Applied { get; } = [];

        public Task<DataNodeProbe> ProbeAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Alive ? new DataNodeProbe(true, 5) : DataNodeProbe.Silent);

        public Task PromoteAsync(CancellationToken cancellationToken) => Apply("promote");

        public Task FollowAsync(string primaryHost, int primaryClientPort, CancellationToken cancellationToken) => Apply($"follow {primaryHost}:{primaryClientPort}");

        public Task FenceAsync(CancellationToken cancellationToken) => Apply("fence");

        public Task UnfenceAsync(CancellationToken cancellationToken) => Apply("unfence");

        private Task Apply(string what)
        {
            if (FailActions)
            {
                return Task.FromException(new IOException("data node refused"));
            }
            Applied.Add(what);
            return Task.CompletedTask;
        }
    }
}
