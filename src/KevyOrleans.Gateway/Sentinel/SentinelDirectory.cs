namespace KevyOrleans.Gateway.Sentinel;

/// <summary>
/// Where the silos' Sentinel endpoints find each other for <c>SENTINEL SENTINELS</c> and
/// <c>num-other-sentinels</c>: each silo announces its endpoint on every refresh and gets the others'
/// back. Soft state: an endpoint that stops announcing is forgotten after the expiry it gave, and a
/// lost activation is rebuilt by the next round of announcements.
/// </summary>
public interface ISentinelDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records <paramref name="self"/> and returns every other endpoint announced within its expiry.</summary>
    Task<IReadOnlyList<SentinelPeer>> Announce(SentinelAnnouncement self);
}

/// <summary>One silo's endpoint, as it announces itself.</summary>
/// <param name="RunId">Its <c>SENTINEL MYID</c>.</param>
/// <param name="Ip">The address clients reach it on.</param>
/// <param name="Port">Its port.</param>
/// <param name="ExpiresAfterMs">Forget it when it has not announced itself for this long.</param>
[GenerateSerializer]
[Alias("kevy.sentinel-announcement")]
public sealed record SentinelAnnouncement(
    [property: Id(0)] string RunId,
    [property: Id(1)] string Ip,
    [property: Id(2)] int Port,
    [property: Id(3)] int ExpiresAfterMs);

/// <summary>The one directory activation (key 0): announcements in memory, expired ones dropped.</summary>
internal sealed class SentinelDirectoryGrain(TimeProvider time) : Grain, ISentinelDirectoryGrain
{
    private readonly Dictionary<string, (SentinelAnnouncement Announcement, long At)> _endpoints = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<SentinelPeer>> Announce(SentinelAnnouncement self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var now = time.GetTimestamp();
        _endpoints[self.RunId] = (self, now);
        var peers = new List<SentinelPeer>();
        foreach (var (id, (a, at)) in _endpoints.ToList())
        {
            var since = (long)time.GetElapsedTime(at, now).TotalMilliseconds;
            if (since > a.ExpiresAfterMs)
            {
                _endpoints.Remove(id);
            }
            else if (id != self.RunId)
            {
                peers.Add(new SentinelPeer(a.RunId, a.Ip, a.Port, since));
            }
        }
        return Task.FromResult<IReadOnlyList<SentinelPeer>>([.. peers.OrderBy(p => p.RunId, StringComparer.Ordinal)]);
    }
}
