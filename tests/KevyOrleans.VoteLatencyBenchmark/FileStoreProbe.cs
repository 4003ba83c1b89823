using System.Diagnostics;
using System.Text.Json;
using KevyOrleans.Hosting.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization.Activators;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// The product's <see cref="FileGrainStorage"/> alone, in this process, with no silo, gateway or grain:
/// one state written <c>samples</c> times, as a witness writes its record for each vote. Its p50 is
/// the store's share of a vote's latency.
/// </summary>
internal static class FileStoreProbe
{
    public static async Task<LatencySummary> WriteAsync(string directory, int samples)
    {
        var options = new FileGrainStorageOptions { RootDirectory = directory, GrainStorageSerializer = new JsonStateSerializer() };
        using var storage = new FileGrainStorage("kevy-votes", options, options.GrainStorageSerializer, new NoActivators(), NullLogger<FileGrainStorage>.Instance);
        await storage.Init(CancellationToken.None).ConfigureAwait(false);
        var grain = GrainId.Create("member", $"{BenchmarkGroup.Name}/{BenchmarkGroup.Witness}");
        var state = new GrainState<ProbeRecord>(new ProbeRecord(0, BenchmarkGroup.Candidate));
        var times = new List<double>(samples);
        for (var i = 1; i <= samples; i++)
        {
            state.State = new ProbeRecord((ulong)i, BenchmarkGroup.Candidate);
            var started = Stopwatch.GetTimestamp();
            await storage.WriteStateAsync("member", grain, state).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return LatencySummary.Of(times);
    }

    internal sealed record ProbeRecord(ulong Epoch, string Candidate);

    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }

    // A write never creates an empty state; only a read of a missing record would.
    private sealed class NoActivators : IActivatorProvider
    {
        public IActivator<T> GetActivator<T>() => throw new NotSupportedException("the probe only writes");
    }
}
