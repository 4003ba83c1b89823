using System.Diagnostics.Metrics;
using KevyOrleans.Election;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KevyOrleans.Grains.Tests.Support;

/// <summary>
/// Group "orders" or another name (n1 and n2 with data nodes, witness w3, all hosted) and its member n2 as a runner on
/// a <see cref="ScriptedDataNode"/>, a hand-moved clock, in-memory store and outbox, and a meter
/// factory of its own.
/// </summary>
/// <param name="groupName">The group's name; tests that listen process-wide (spans) give theirs its own.</param>
internal sealed class ScriptedMemberBench(string groupName = "orders") : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public ManualTimeProvider Time { get; } = new();

    public ScriptedDataNode Node { get; } = new();

    public IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    /// <summary>The group (by default "orders") with data nodes of <paramref name="kind"/>.</summary>
    public static GroupDefinition Group(DataNodeKind kind = DataNodeKind.Redis, string name = "orders") => new(name,
        new ElectionGroup(MemberList.Parse("n1@h:7001:6001,n2@h:7002:6002,w3@h:7003"), ["w3"]),
        ["n1", "n2", "w3"], ElectionTimings.Default, kind);

    /// <summary>A fresh n2 whose scripted node is of <paramref name="kind"/>.</summary>
    public HostedMember Member(DataNodeKind kind = DataNodeKind.Redis)
    {
        Node.Kind = kind;
        return new HostedMember(Group(kind, groupName), "n2", new MemoryMemberStore(), new MemoryMemberOutbox(), Node, Time, NullLogger.Instance,
            new KevyMetrics(Meters), TimeSpan.FromSeconds(1), new Random(1));
    }

    /// <summary>A fresh n2 that runs after the cold-start grace and wins with the witness' vote.</summary>
    public async Task<HostedMember> PrimaryAsync(DataNodeKind kind = DataNodeKind.Redis)
    {
        var member = Member(kind);
        await member.TickAsync();
        Time.Advance(ElectionTimings.Default.DownAfter + TimeSpan.FromMilliseconds(1));
        await member.TickAsync();
        await member.ReceiveAsync(ElectionMessage.Accept(member.Epoch, "w3"));
        Assert.Equal(Role.Primary, member.Role);
        return member;
    }

    public void Dispose() => _services.Dispose();
}
