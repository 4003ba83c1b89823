using System.Globalization;

namespace KevyOrleans.Gateway.Sentinel;

/// <summary>One Sentinel event: a Pub/Sub message on the channel named after the event.</summary>
/// <param name="Channel">The event, such as <c>+switch-master</c>.</param>
/// <param name="Payload">The message, in Sentinel's format.</param>
public sealed record SentinelEvent(string Channel, string Payload);

/// <summary>
/// The events between two views of one group, in Sentinel's formats (<c>sentinel.c</c>, <c>sentinelEvent</c>):
/// instance events are <c>&lt;type&gt; &lt;name&gt; &lt;ip&gt; &lt;port&gt;</c>, followed for a replica by
/// <c>@ &lt;master-name&gt; &lt;master-ip&gt; &lt;master-port&gt;</c>; <c>+switch-master</c> is
/// <c>&lt;name&gt; &lt;old-ip&gt; &lt;old-port&gt; &lt;new-ip&gt; &lt;new-port&gt;</c>. Pure: no I/O, no clock.
/// </summary>
/// <remarks>
/// Order, as Sentinel publishes a failover: members that went down (<c>+sdown</c>, and for the primary
/// <c>+odown</c>), then a new primary (<c>+new-epoch</c>, <c>+elected-leader</c>, <c>+failover-end</c>,
/// <c>+switch-master</c>), then members that came back (<c>-sdown</c>, <c>-odown</c>). A change of
/// primary is published only when an old address is known (the previous view's primary, or the last
/// one before the group had none, <see cref="SentinelGroupView.LastPrimary"/>): a cold start has nothing to switch from.
/// </remarks>
public static class SentinelEvents
{
    /// <summary>The events from <paramref name="before"/> to <paramref name="after"/>.</summary>
    /// <param name="before">The previous view; null at the first refresh (no events).</param>
    /// <param name="after">The new view.</param>
    public static IReadOnlyList<SentinelEvent> Between(SentinelGroupView? before, SentinelGroupView after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var events = new List<SentinelEvent>();
        if (before is null)
        {
            return events;
        }
        var oldPrimary = before.MasterAddress;
        var newPrimary = after.Primary?.Address;
        foreach (var m in after.Members)
        {
            var was = before.Members.FirstOrDefault(b => b.Id == m.Id);
            if (was is { Up: true } && !m.Up)
            {
                var isPrimary = before.Primary?.Id == m.Id;
                events.Add(new("+sdown", Instance(after.Name, m.Address, isPrimary, oldPrimary)));
                if (isPrimary)
                {
                    events.Add(new("+odown", $"{Instance(after.Name, m.Address, true, null)} #quorum {Num(after.UpVoters)}/{Num(after.Quorum)}"));
                }
            }
        }
        if (newPrimary is not null && oldPrimary is not null && newPrimary != oldPrimary)
        {
            var old = Instance(after.Name, oldPrimary, true, null);
            if (after.Epoch > before.Epoch)
            {
                events.Add(new("+new-epoch", Num(after.Epoch)));
            }
            events.Add(new("+elected-leader", old));
            events.Add(new("+failover-end", old));
            events.Add(new("+switch-master", $"{after.Name} {oldPrimary.Host} {oldPrimary.PortText} {newPrimary.Host} {newPrimary.PortText}"));
        }
        foreach (var m in after.Members)
        {
            var was = before.Members.FirstOrDefault(b => b.Id == m.Id);
            if (was is { Up: false } && m.Up)
            {
                var isPrimary = after.Primary?.Id == m.Id;
                events.Add(new("-sdown", Instance(after.Name, m.Address, isPrimary, newPrimary ?? oldPrimary)));
                if (isPrimary && before.Primary?.Id == m.Id)
                {
                    events.Add(new("-odown", Instance(after.Name, m.Address, true, null)));
                }
            }
        }
        return events;
    }

    /// <summary><c>master &lt;name&gt; &lt;ip&gt; &lt;port&gt;</c>, or <c>slave &lt;ip:port&gt; &lt;ip&gt; &lt;port&gt; @ &lt;name&gt; &lt;master-ip&gt; &lt;master-port&gt;</c>.</summary>
    public static string Instance(string group, DataNodeAddress address, bool isPrimary, DataNodeAddress? primary)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (isPrimary)
        {
            return $"master {group} {address.Host} {address.PortText}";
        }
        var at = primary is null ? "" : $" @ {group} {primary.Host} {primary.PortText}";
        return $"slave {address} {address.Host} {address.PortText}{at}";
    }

    private static string Num(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
