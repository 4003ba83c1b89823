using KevyOrleans.Gateway.Sentinel;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>What a broken or greedy client gets: malformed input and oversized requests close the connection and are counted; connection and subscriber limits hold.</summary>
public sealed class SentinelLimitsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("*1\r\n:5\r\n")]          // an integer where a bulk string must be
    [InlineData("*x\r\n")]                // not a length
    [InlineData("*1\r\n$4\r\nPINGxx")]   // bulk not followed by CRLF
    [InlineData("PING\n")]                // inline without CR
    public async Task Malformed_input_closes_the_connection_and_is_counted_and_others_are_unaffected(string bytes)
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var bystander = await endpoint.ConnectAsync();
        await using var client = await endpoint.ConnectAsync();

        await client.SendRawAsync(bytes);
        Assert.True(await client.ClosedWithinAsync(Patience));
        Assert.Equal(1, await CountOnceClosedAsync(endpoint, "malformed"));
        Assert.Equal("PONG", (await bystander.CallAsync("PING")).Text);
    }

    [Fact]
    public async Task A_request_over_the_size_limit_closes_the_connection_before_it_is_complete()
    {
        await using var endpoint = SentinelEndpoint.Start(o => o.MaxRequestBytes = 1024);
        await using var client = await endpoint.ConnectAsync();

        // A header that announces 1 MB, then 2 KB of it: the endpoint must not wait for the rest.
        await client.SendRawAsync("*2\r\n$4\r\nPING\r\n$1000000\r\n" + new string('x', 2048));
        Assert.True(await client.ClosedWithinAsync(Patience));
        Assert.Equal(1, await CountOnceClosedAsync(endpoint, "request-too-large"));
    }

    [Fact]
    public async Task Connections_over_the_limit_are_closed_at_accept_and_counted()
    {
        await using var endpoint = SentinelEndpoint.Start(o =>
        {
            o.MaxConnections = 2;
            o.MaxConnectionsPerSource = 2;
        });
        await using var first = await endpoint.ConnectAsync();
        await using var second = await endpoint.ConnectAsync();
        Assert.Equal("PONG", (await first.CallAsync("PING")).Text);
        Assert.Equal("PONG", (await second.CallAsync("PING")).Text);

        await using var third = await endpoint.ConnectAsync();
        Assert.True(await third.ClosedWithinAsync(Patience));
        Assert.Equal(1, await CountOnceClosedAsync(endpoint, "too-many-connections"));
        Assert.Equal("PONG", (await first.CallAsync("PING")).Text);
    }

    [Fact]
    public async Task Subscribers_over_the_limit_get_an_error_and_keep_their_connection()
    {
        await using var endpoint = SentinelEndpoint.Start(o => o.MaxSubscribers = 1);
        await using var first = await endpoint.ConnectAsync();
        await using var second = await endpoint.ConnectAsync();

        await first.SendAsync("SUBSCRIBE", "+switch-master");
        Assert.Equal("subscribe", (await first.ReadAsync()).Texts()[0]);
        var refused = await second.CallAsync("SUBSCRIBE", "+switch-master");
        Assert.Equal(RespKind.Error, refused.Kind);
        Assert.Equal(1, endpoint.Counters.Get("kevy.sentinel.rejected", "too-many-subscribers"));
        Assert.Equal("PONG", (await second.CallAsync("PING")).Text);

        // The slot is free again once the first one unsubscribed.
        await first.SendAsync("UNSUBSCRIBE");
        await first.ReadAsync();
        await second.SendAsync("SUBSCRIBE", "+switch-master");
        Assert.Equal("subscribe", (await second.ReadAsync()).Texts()[0]);
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_closed_and_publishing_never_waits_for_it()
    {
        await using var endpoint = SentinelEndpoint.Start(o => o.MaxPendingReplies = 16);
        await using var slow = await endpoint.ConnectAsync();
        slow.Socket.ReceiveBufferSize = 1024;
        await slow.SendAsync("SUBSCRIBE", "+switch-master");
        await slow.ReadAsync();

        // Far more than the socket buffers and the queue hold; Publish returns each time.
        var payload = new string('x', 4096);
        for (var i = 0; i < 5000 && endpoint.Counters.Get("kevy.sentinel.rejected", "slow-subscriber") == 0; i++)
        {
            endpoint.State.Hub.Publish(new SentinelEvent("+switch-master", payload));
            if (i % 100 == 0)
            {
                await Task.Delay(1);
            }
        }
        Assert.Equal(1, endpoint.Counters.Get("kevy.sentinel.rejected", "slow-subscriber"));
        Assert.True(await slow.ClosedWithinAsync(Patience));
        for (var i = 0; i < 100 && endpoint.State.Hub.Count > 0; i++)
        {
            await Task.Delay(50); // the connection leaves the hub as it finishes closing
        }
        Assert.Equal(0, endpoint.State.Hub.Count);
    }

    [Fact]
    public async Task Quit_answers_ok_and_closes()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var client = await endpoint.ConnectAsync();
        Assert.Equal("OK", (await client.CallAsync("QUIT")).Text);
        Assert.True(await client.ClosedWithinAsync(Patience));
        Assert.Equal(0, endpoint.Counters.Get("kevy.sentinel.rejected"));
    }

    /// <summary>The close reaches the client a moment before the endpoint counts it: wait for the count (bounded).</summary>
    private static async Task<long> CountOnceClosedAsync(SentinelEndpoint endpoint, string reason)
    {
        var until = DateTime.UtcNow + Patience;
        while (endpoint.Counters.Get("kevy.sentinel.rejected", reason) == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
        return endpoint.Counters.Get("kevy.sentinel.rejected", reason);
    }
}
