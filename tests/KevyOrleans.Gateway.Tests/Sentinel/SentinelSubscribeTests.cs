using KevyOrleans.Gateway.Sentinel;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>Subscriber mode over real TCP: SUBSCRIBE and PSUBSCRIBE replies, messages, and the commands allowed meanwhile.</summary>
public sealed class SentinelSubscribeTests
{
    private static readonly SentinelEvent Switch = new("+switch-master", "orders 127.0.0.1 7001 127.0.0.1 7002");

    [Fact]
    public async Task A_subscriber_receives_switch_master_on_its_channel_and_nothing_else()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var client = await endpoint.ConnectAsync();

        await client.SendAsync("SUBSCRIBE", "+switch-master", "+sentinel");
        Assert.Equal(["subscribe", "+switch-master", "1"], (await client.ReadAsync()).Texts());
        Assert.Equal(["subscribe", "+sentinel", "2"], (await client.ReadAsync()).Texts());
        Assert.Equal(1, endpoint.State.Hub.Count);

        endpoint.State.Hub.Publish(new SentinelEvent("+sdown", "master orders 127.0.0.1 7001"));
        endpoint.State.Hub.Publish(Switch);
        Assert.Equal(["message", "+switch-master", Switch.Payload], (await client.ReadAsync()).Texts());

        // In subscriber mode: PING answers as a pub/sub reply, other commands are refused, the connection stays.
        Assert.Equal(["pong", ""], (await client.CallAsync("PING")).Texts());
        Assert.StartsWith("ERR Can't execute 'sentinel'", (await client.CallAsync("SENTINEL", "myid")).Text, StringComparison.Ordinal);

        await client.SendAsync("UNSUBSCRIBE");
        Assert.Equal(["unsubscribe", "+switch-master", "1"], (await client.ReadAsync()).Texts());
        Assert.Equal(["unsubscribe", "+sentinel", "0"], (await client.ReadAsync()).Texts());
        Assert.Equal(0, endpoint.State.Hub.Count);
        Assert.Equal("PONG", (await client.CallAsync("PING")).Text);
    }

    [Fact]
    public async Task A_pattern_subscriber_receives_pmessages_for_matching_channels()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var all = await endpoint.ConnectAsync();
        await using var downs = await endpoint.ConnectAsync();

        await all.SendAsync("PSUBSCRIBE", "*");
        Assert.Equal(["psubscribe", "*", "1"], (await all.ReadAsync()).Texts());
        await downs.SendAsync("PSUBSCRIBE", "[+-]sdown");
        Assert.Equal(["psubscribe", "[+-]sdown", "1"], (await downs.ReadAsync()).Texts());

        endpoint.State.Hub.Publish(Switch);
        endpoint.State.Hub.Publish(new SentinelEvent("-sdown", "master orders 127.0.0.1 7001"));
        Assert.Equal(["pmessage", "*", "+switch-master", Switch.Payload], (await all.ReadAsync()).Texts());
        Assert.Equal(["pmessage", "*", "-sdown", "master orders 127.0.0.1 7001"], (await all.ReadAsync()).Texts());
        Assert.Equal(["pmessage", "[+-]sdown", "-sdown", "master orders 127.0.0.1 7001"], (await downs.ReadAsync()).Texts());

        await downs.SendAsync("PUNSUBSCRIBE", "[+-]sdown");
        Assert.Equal(["punsubscribe", "[+-]sdown", "0"], (await downs.ReadAsync()).Texts());
    }

    [Fact]
    public async Task Events_reach_subscribers_in_the_order_they_were_published()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var client = await endpoint.ConnectAsync();
        await client.SendAsync("PSUBSCRIBE", "+*");
        await client.ReadAsync();

        var before = TestViews.Orders("n1", 1);
        var after = TestViews.Orders("n2", 2, "n1");
        foreach (var e in SentinelEvents.Between(before, after))
        {
            endpoint.State.Hub.Publish(e);
        }
        var channels = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            channels.Add((await client.ReadAsync()).Texts()[2]);
        }
        Assert.Equal(["+sdown", "+odown", "+new-epoch", "+elected-leader", "+failover-end", "+switch-master"], channels);
    }
}
