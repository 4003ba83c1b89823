using System.Net;
using System.Net.Sockets;
using KevyOrleans.Gateway.Security;
using KevyOrleans.Gateway.Tests.Outbound.Support;
using Microsoft.Extensions.Time.Testing;

namespace KevyOrleans.Gateway.Tests.Trust;

/// <summary>The source-address book of rule 12: literal hosts, names re-resolved on a schedule, failures that keep the last good set.</summary>
public sealed class SourceAddressesTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");

    [Fact]
    public void A_literal_host_allows_its_address_only_and_ipv4_mapped_addresses_are_the_same()
    {
        var book = new SourceAddresses(["10.0.0.1", "[::1]"], TimeSpan.FromSeconds(30), new ListLogger());
        Assert.True(book.Allows("10.0.0.1", A));
        Assert.True(book.Allows("10.0.0.1", A.MapToIPv6()));
        Assert.False(book.Allows("10.0.0.1", B));
        Assert.True(book.Allows("[::1]", IPAddress.IPv6Loopback));
        Assert.False(book.Allows("10.0.0.9", A));
    }

    [Fact]
    public async Task A_name_is_resolved_again_on_schedule_so_a_dns_change_moves_the_member()
    {
        var time = new FakeTimeProvider();
        var answer = new[] { A };
        var log = new ListLogger();
        var calls = 0;
        await using var book = new SourceAddresses(["kevy-1.example"], TimeSpan.FromSeconds(30), log, time,
            (_, _) => { Interlocked.Increment(ref calls); return Task.FromResult(answer); });
        await book.StartAsync(CancellationToken.None);
        Assert.True(book.Allows("kevy-1.example", A));
        Assert.False(book.Allows("kevy-1.example", B));

        answer = [B];
        // The refresh loop may not be waiting yet when time moves: move it a period at a time until it has run.
        var before = calls;
        await TestWait.Until(() =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return Volatile.Read(ref calls) > before && book.Allows("kevy-1.example", B);
        }, TimeSpan.FromSeconds(10), "the new address after a refresh period");
        Assert.False(book.Allows("kevy-1.example", A));
        Assert.Equal(1, log.Count(2904));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(book.Allows("kevy-1.example", B));
    }

    [Fact]
    public async Task A_failed_resolution_keeps_the_last_good_set_and_is_logged_once_until_it_recovers()
    {
        var log = new ListLogger();
        var fail = false;
        await using var book = new SourceAddresses(["kevy-2.example"], TimeSpan.FromSeconds(30), log, new FakeTimeProvider(),
            (_, _) => fail ? throw new SocketException((int)SocketError.HostNotFound) : Task.FromResult(new[] { A }));
        await book.RefreshAsync(CancellationToken.None);
        fail = true;
        await book.RefreshAsync(CancellationToken.None);
        await book.RefreshAsync(CancellationToken.None);
        await book.RefreshAsync(CancellationToken.None);
        Assert.True(book.Allows("kevy-2.example", A));
        Assert.Equal(1, log.Count(2902));
        fail = false;
        await book.RefreshAsync(CancellationToken.None);
        Assert.Equal(1, log.Count(2903));
        fail = true;
        await book.RefreshAsync(CancellationToken.None);
        Assert.Equal(2, log.Count(2902));
    }

    [Fact]
    public async Task A_name_that_never_resolved_allows_nothing()
    {
        await using var book = new SourceAddresses(["nowhere.example"], TimeSpan.FromSeconds(30), new ListLogger(), new FakeTimeProvider(),
            (_, _) => Task.FromResult(Array.Empty<IPAddress>()));
        await book.RefreshAsync(CancellationToken.None);
        Assert.False(book.Allows("nowhere.example", A));
    }
}
