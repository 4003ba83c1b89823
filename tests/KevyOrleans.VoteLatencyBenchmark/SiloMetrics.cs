namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>The silo's Prometheus names (<c>/metrics</c>) the harness reads.</summary>
internal static class SiloMetrics
{
    public const string CommitSum = "kevy_storage_write_duration_milliseconds_sum";
    public const string CommitCount = "kevy_storage_write_duration_milliseconds_count";
    public const string FramesIn = "kevy_gateway_frames_in_total";
    public const string Rejected = "kevy_gateway_rejected_total";
}
