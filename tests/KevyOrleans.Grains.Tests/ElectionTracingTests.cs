using System.Diagnostics;
using KevyOrleans.Election;
using KevyOrleans.Grains.Tests.Support;
using KevyOrleans.Protocol;
using KevyOrleans.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace KevyOrleans.Grains.Tests;

/// <summary>
/// The <c>KevyOrleans</c> spans of one member runner, through OpenTelemetry's in-memory exporter: an
/// election from candidacy to the announce of its win (epoch and members as attributes), a candidacy
/// that times out, and one span per durable write. Each test has its own group: the listener hears the
/// whole process, the filter keeps this test's spans.
/// </summary>
public sealed class ElectionTracingTests
{
    private static readonly ActivitySource Outer = new("KevyOrleans.Grains.Tests.Outer");

    private static (TracerProvider Provider, LockedCollection<Activity> Spans) Listen()
    {
        var spans = new LockedCollection<Activity>();
        return (Sdk.CreateTracerProviderBuilder().AddSource(KevyTracing.SourceName, Outer.Name).AddInMemoryExporter(spans).Build(), spans);
    }

    private static List<Activity> Of(LockedCollection<Activity> spans, string group, string name) =>
        [.. spans.Snapshot().Where(a => a.OperationName == name && (string?)a.GetTagItem("kevy.group") == group)];

    [Fact]
    public async Task An_election_is_one_root_span_from_candidacy_to_the_announce_with_epoch_and_members()
    {
        var (provider, spans) = Listen();
        using var _ = provider;
        using var bench = new ScriptedMemberBench("traced-win");
        HostedMember member;
        Activity? input;
        // The inputs arrive inside some caller's span (a grain call): the writes they cause belong to it, the election does not.
        using (input = Outer.StartActivity("input"))
        {
            member = await bench.PrimaryAsync();
        }

        var election = Assert.Single(Of(spans, "traced-win", "kevy.election"));
        Assert.Equal("n2", election.GetTagItem("kevy.member"));
        Assert.Equal((long)member.Epoch, election.GetTagItem("kevy.epoch"));
        Assert.Equal("n1,n2,w3", election.GetTagItem("kevy.members"));
        Assert.Equal("won", election.GetTagItem("kevy.outcome"));
        Assert.Equal(ActivityStatusCode.Ok, election.Status);
        Assert.NotNull(input);
        Assert.Null(election.ParentId);

        // The candidacy's own vote and the win's announcement were each committed before anything was released.
        var writes = Of(spans, "traced-win", "kevy.storage.write");
        Assert.True(writes.Count >= 2, $"{writes.Count} write spans");
        Assert.All(writes, w => Assert.Equal("committed", w.GetTagItem("kevy.outcome")));
        Assert.Contains(writes, w => (long?)w.GetTagItem("kevy.epoch") == (long)member.Epoch);
        Assert.All(writes, w => Assert.Equal(input.SpanId, w.ParentSpanId));
        Assert.Equal(Role.Primary, member.Role);
    }

    [Fact]
    public async Task A_candidacy_without_a_quorum_ends_its_span_as_timed_out()
    {
        var (provider, spans) = Listen();
        using var _ = provider;
        using var bench = new ScriptedMemberBench("traced-timeout");
        var member = bench.Member();
        await member.TickAsync();
        bench.Time.Advance(ElectionTimings.Default.DownAfter + TimeSpan.FromMilliseconds(1));
        await member.TickAsync();
        Assert.Equal(Role.Candidate, member.Role);
        Assert.Empty(Of(spans, "traced-timeout", "kevy.election")); // open: it ends with the candidacy

        bench.Time.Advance(ElectionTimings.Default.ElectionTimeout + TimeSpan.FromMilliseconds(1));
        await member.WakeAsync();

        var election = Assert.Single(Of(spans, "traced-timeout", "kevy.election"));
        Assert.Equal("timed out", election.GetTagItem("kevy.outcome"));
        Assert.Equal(ActivityStatusCode.Error, election.Status);
    }
}
