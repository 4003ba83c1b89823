using KevyOrleans.Gateway.Sentinel;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>The events between two views, in Sentinel's exact formats (pure).</summary>
public sealed class SentinelEventsTests
{
    private static string[] Lines(SentinelGroupView? before, SentinelGroupView after) =>
        [.. SentinelEvents.Between(before, after).Select(e => $"{e.Channel} {e.Payload}")];

    [Fact]
    public void The_first_view_publishes_nothing()
    {
        Assert.Empty(Lines(null, TestViews.Orders("n1")));
    }

    [Fact]
    public void A_failover_publishes_sdown_odown_then_the_switch_in_sentinels_order_and_formats()
    {
        var before = TestViews.Orders("n1", 3);
        var after = TestViews.Orders("n2", 4, "n1");
        Assert.Equal(
        [
            "+sdown master orders 127.0.0.1 7001",
            "+odown master orders 127.0.0.1 7001 #quorum 3/3",
            "+new-epoch 4",
            "+elected-leader master orders 127.0.0.1 7001",
            "+failover-end master orders 127.0.0.1 7001",
            "+switch-master orders 127.0.0.1 7001 127.0.0.1 7002",
        ], Lines(before, after));
    }

    [Fact]
    public void A_primary_that_is_lost_and_a_new_one_later_switch_from_the_last_address_known()
    {
        var before = TestViews.Orders("n1", 3);
        var gap = TestViews.Orders(null, 3, "n1") with { LastPrimary = TestViews.N1 };
        var after = TestViews.Orders("n3", 4, "n1");

        Assert.Equal(["+sdown master orders 127.0.0.1 7001", "+odown master orders 127.0.0.1 7001 #quorum 3/3"], Lines(before, gap));
        Assert.Contains("+switch-master orders 127.0.0.1 7001 127.0.0.1 7003", Lines(gap, after));
    }

    [Fact]
    public void Replicas_going_down_and_coming_back_name_their_master()
    {
        var up = TestViews.Orders("n1", 2);
        var down = TestViews.Orders("n1", 2, "n3");
        Assert.Equal(["+sdown slave 127.0.0.1:7003 127.0.0.1 7003 @ orders 127.0.0.1 7001"], Lines(up, down));
        Assert.Equal(["-sdown slave 127.0.0.1:7003 127.0.0.1 7003 @ orders 127.0.0.1 7001"], Lines(down, up));
    }

    [Fact]
    public void A_primary_that_comes_back_as_primary_clears_sdown_and_odown_and_switches_nothing()
    {
        var down = TestViews.Orders("n1", 2, "n1");
        var up = TestViews.Orders("n1", 2);
        Assert.Equal(["-sdown master orders 127.0.0.1 7001", "-odown master orders 127.0.0.1 7001"], Lines(down, up));
    }

    [Fact]
    public void An_unchanged_view_publishes_nothing()
    {
        Assert.Empty(Lines(TestViews.Orders("n2", 5), TestViews.Orders("n2", 5)));
    }
}
