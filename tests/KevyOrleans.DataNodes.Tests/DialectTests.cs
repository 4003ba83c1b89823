using KevyOrleans.Election;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>The exact commands of each kind and the reading of INFO replication, without a server.</summary>
public sealed class DialectTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(10);

    [Fact]
    public void Redis_reopens_writes_only_after_its_replicaof()
    {
        var redis = DataNodeDialect.For(DataNodeKind.Redis, Pause);
        Assert.Equal([["REPLICAOF", "NO", "ONE"], ["CLIENT", "UNPAUSE"]], redis.Promote());
        Assert.Equal([["REPLICAOF", "10.0.0.5", "6379"], ["CLIENT", "UNPAUSE"]], redis.Follow("10.0.0.5", 6379));
        Assert.Equal([["CLIENT", "PAUSE", "10000", "WRITE"]], redis.Fence());
        Assert.Equal([["CLIENT", "UNPAUSE"]], redis.Unfence());
    }

    [Fact]
    public void Kevy_follows_the_replication_port_and_fences_by_following_loopback_port_1()
    {
        var kevy = DataNodeDialect.For(DataNodeKind.Kevy, Pause);
        Assert.Equal([["REPLICAOF", "NO", "ONE"]], kevy.Promote());
        Assert.Equal([["REPLICAOF", "new-primary.internal", "16004"]], kevy.Follow("new-primary.internal", 6004));
        Assert.Equal([["REPLICAOF", "127.0.0.1", "1"]], kevy.Fence());
        Assert.Equal([["REPLICAOF", "NO", "ONE"]], kevy.Unfence());
        Assert.Equal([["REPLICAOF", "::1", "16004"]], kevy.Follow("[::1]", 6004));
    }

    [Fact]
    public void The_fence_pause_is_twice_down_after_and_at_least_four_heartbeats()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), DataNodeConventions.FencePause(ElectionTimings.Default));
        var slowBeat = new ElectionTimings { HeartbeatInterval = TimeSpan.FromSeconds(2), DownAfter = TimeSpan.FromSeconds(5) };
        Assert.Equal(TimeSpan.FromSeconds(10), DataNodeConventions.FencePause(slowBeat));
        var slowerBeat = new ElectionTimings { HeartbeatInterval = TimeSpan.FromSeconds(3), DownAfter = TimeSpan.FromSeconds(5) };
        Assert.Equal(TimeSpan.FromSeconds(12), DataNodeConventions.FencePause(slowerBeat));
    }

    [Fact]
    public void Info_of_a_master_gives_master_repl_offset()
    {
        var probe = ReplicationInfo.Parse("# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7,state=online,offset=90,lag=0\r\n" +
            "master_replid:abc\r\nmaster_repl_offset:1234\r\nsecond_repl_offset:-1\r\n");
        Assert.Equal(new DataNodeProbe(true, 1234, DataNodeRole.Master), probe);
        Assert.Equal("master at offset 1234", probe.ToString());
    }

    [Fact]
    public void Info_of_a_replica_gives_slave_repl_offset_and_the_master_it_follows()
    {
        var probe = ReplicationInfo.Parse("# Replication\r\nrole:slave\r\nmaster_host:10.0.0.5\r\nmaster_port:16004\r\nmaster_link_status:down\r\n" +
            "slave_read_repl_offset:800\r\nslave_repl_offset:777\r\nmaster_repl_offset:900\r\n");
        Assert.Equal(DataNodeRole.Replica, probe.Role);
        Assert.Equal(777UL, probe.Offset);
        Assert.True(probe.Follows("10.0.0.5", 16004));
        Assert.False(probe.Follows("10.0.0.5", 6004));
        Assert.Equal("down", probe.MasterLinkStatus);
    }

    [Fact]
    public void Info_without_a_role_or_an_offset_is_refused_not_guessed()
    {
        Assert.Contains("role", Assert.Throws<FormatException>(() => ReplicationInfo.Parse("# Replication\r\n")).Message, StringComparison.Ordinal);
        Assert.Contains("master_repl_offset", Assert.Throws<FormatException>(() => ReplicationInfo.Parse("role:master\r\n")).Message, StringComparison.Ordinal);
        Assert.Equal(0UL, ReplicationInfo.Parse("role:slave\r\nslave_repl_offset:-1\r\n").Offset);
    }

    [Fact]
    public void Credentials_never_show_the_password()
    {
        Assert.Equal("password ***", new DataNodeCredentials(null, "hunter2").ToString());
        Assert.Equal("user 'agent', password ***", new DataNodeCredentials("agent", "hunter2").ToString());
        Assert.Null(new DataNodeCredentials(" ", "hunter2").User);
    }
}
