using System.Diagnostics;
using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>
/// The grains' spans, on the <see cref="ActivitySource"/> <c>KevyOrleans</c>: <c>kevy.election</c> (a
/// candidacy, from its OFFER to the ANNOUNCE of its win or its end), <c>kevy.switchover</c> (one
/// planned switchover) and <c>kevy.storage.write</c> (one durable commit of a member's record).
/// Attributes: <c>kevy.group</c>, <c>kevy.member</c>, <c>kevy.epoch</c>, <c>kevy.members</c>,
/// <c>kevy.outcome</c>; on switchovers <c>kevy.target</c>, <c>kevy.primary.previous</c>, <c>kevy.primary</c>. Nothing is recorded unless a listener (OpenTelemetry's
/// <c>AddSource</c>) asks for it.
/// </summary>
public static class KevyTracing
{
    /// <summary>The name of the activity source to listen to (OpenTelemetry <c>AddSource</c>), the same as the meter's.</summary>
    public const string SourceName = KevyMetrics.MeterName;

    /// <summary>The source every span of the grains starts from.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(KevyTracing).Assembly.GetName().Version?.ToString());

    /// <summary>A <c>kevy.storage.write</c> span for <paramref name="record"/> of a member, or null when nobody listens.</summary>
    /// <param name="group">The member's group.</param>
    /// <param name="member">The member whose record is written.</param>
    /// <param name="record">The record being committed.</param>
    public static Activity? StartWrite(string group, string member, DurableRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var activity = Start("kevy.storage.write");
        activity?.SetTag("kevy.group", group).SetTag("kevy.member", member).SetTag("kevy.epoch", (long)record.Epoch);
        return activity;
    }

    /// <summary>
    /// A span named <paramref name="name"/>: a child of the current activity when that one is recorded,
    /// else a root. An unrecorded parent (ASP.NET Core's request activity when nobody traces HTTP) would
    /// otherwise drop it under OpenTelemetry's parent-based sampling. Call it from an async method: the
    /// current activity it changes is then restored for the caller.
    /// </summary>
    /// <param name="name">The span's name.</param>
    public static Activity? Start(string name)
    {
        var current = Activity.Current;
        if (current is null || current.Recorded)
        {
            return Source.StartActivity(name);
        }
        Activity.Current = null;
        var activity = Source.StartActivity(name);
        if (activity is null)
        {
            Activity.Current = current;
        }
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/> with <paramref name="outcome"/>; an error status unless <paramref name="ok"/>.</summary>
    /// <param name="activity">The span, null when nobody listens.</param>
    /// <param name="outcome">The <c>kevy.outcome</c> attribute.</param>
    /// <param name="ok">Whether the operation succeeded.</param>
    public static void End(Activity? activity, string outcome, bool ok)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("kevy.outcome", outcome);
        activity.SetStatus(ok ? ActivityStatusCode.Ok : ActivityStatusCode.Error, ok ? null : outcome);
        activity.Dispose();
    }
}
