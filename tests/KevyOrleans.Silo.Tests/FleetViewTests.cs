using KevyOrleans.Silo.Admin;
using KevyOrleans.Testing;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// The shared fleet view: however many requests, the groups are read once per <see cref="FleetView.MaxAge"/>
/// and never by two gathers at once. A counting source stands in for the grains (the cost against a real
/// silo is measured in <see cref="FleetPageTests"/>).
/// </summary>
public sealed class FleetViewTests
{
    private sealed class CountingSource : IFleetSource
    {
        public int Gathers;
        public TaskCompletionSource<IReadOnlyList<FleetGroup>>? Gate;

        public async Task<IReadOnlyList<FleetGroup>> GatherAsync()
        {
            var n = Interlocked.Increment(ref Gathers);
            if (Gate is { } gate)
            {
                return await gate.Task.ConfigureAwait(false);
            }
            return [new FleetGroup($"gather-{n}", "healthy", 1, "n1", 3, 3, 0, null, null)];
        }
    }

    [Fact]
    public async Task Requests_within_the_max_age_share_one_gather_and_a_later_one_reads_again()
    {
        var time = new ManualTimeProvider();
        var source = new CountingSource();
        var view = new FleetView(source, time);

        var first = await view.CurrentAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Same(first, await view.CurrentAsync());
        }
        time.Advance(FleetView.MaxAge - TimeSpan.FromMilliseconds(1));
        Assert.Same(first, await view.CurrentAsync());
        Assert.Equal(1, source.Gathers);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var second = await view.CurrentAsync();
        Assert.Equal(2, source.Gathers);
        Assert.Equal("gather-2", second.Groups[0].Name);
    }

    [Fact]
    public async Task Requests_during_a_gather_wait_for_it_instead_of_starting_another()
    {
        var time = new ManualTimeProvider();
        var source = new CountingSource { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var view = new FleetView(source, time);

        var waiting = Enumerable.Range(0, 20).Select(_ => view.CurrentAsync()).ToList();
        time.Advance(FleetView.MaxAge * 5); // a slow gather: still the one under way
        waiting.Add(view.CurrentAsync());
        source.Gate.SetResult([new FleetGroup("slow", "degraded", 1, "n1", 3, 2, 0, null, null)]);
        var answers = await Task.WhenAll(waiting);

        Assert.Equal(1, source.Gathers);
        Assert.All(answers, a => Assert.Same(answers[0], a));
        Assert.Equal(1, answers[0].Summary.Degraded);
    }

    [Fact]
    public async Task A_failed_gather_is_not_kept()
    {
        var time = new ManualTimeProvider();
        var source = new CountingSource { Gate = new() };
        var view = new FleetView(source, time);
        source.Gate.SetException(new InvalidOperationException("boom"));
        await Assert.ThrowsAsync<InvalidOperationException>(view.CurrentAsync);

        source.Gate = null;
        var next = await view.CurrentAsync();
        Assert.Equal(2, source.Gathers);
        Assert.Equal("gather-2", next.Groups[0].Name);
    }
}
