using Orleans.Storage;

namespace KevyOrleans.Hosting.Tests.Storage;

/// <summary>Writers released at the same instant, all holding the same ETag, as racing activations do.</summary>
internal static class ConcurrentWrites
{
    /// <summary>One writer per entry of <paramref name="storages"/>; writer i writes Candidate "writer-i".</summary>
    public static async Task<WriteOutcome[]> RunAsync(IReadOnlyList<IGrainStorage> storages, string stateName, GrainId grain, string? etag)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = storages.Select((storage, i) => Task.Run(async () =>
        {
            var state = new GrainState<TestState>(new TestState { Epoch = 2, Candidate = $"writer-{i}" }, etag);
            await start.Task;
            try
            {
                await storage.WriteStateAsync(stateName, grain, state);
                return new WriteOutcome(state, null);
            }
            catch (Exception e)
            {
                return new WriteOutcome(state, e);
            }
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(writers);
    }
}

/// <summary>The state one writer wrote and what its write threw, if anything.</summary>
internal sealed record WriteOutcome(GrainState<TestState> State, Exception? Error);
