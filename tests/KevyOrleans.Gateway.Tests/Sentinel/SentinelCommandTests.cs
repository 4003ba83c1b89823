using KevyOrleans.Gateway.Sentinel;
using KevyOrleans.Grains;
using KevyOrleans.Protocol.Resp;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Sentinel;

/// <summary>The endpoint's commands over real TCP on loopback, in Redis Sentinel's reply shapes.</summary>
public sealed class SentinelCommandTests
{
    [Fact]
    public async Task Get_master_addr_by_name_answers_the_primarys_data_node_and_null_for_an_unknown_name_or_no_primary()
    {
        await using var endpoint = SentinelEndpoint.Start();
        endpoint.State.SetView(TestViews.Orders("n2"));
        await using var client = await endpoint.ConnectAsync();

        Assert.Equal(["127.0.0.1", "7002"], (await client.CallAsync("SENTINEL", "get-master-addr-by-name", "orders")).Texts());
        Assert.Equal(RespKind.Null, (await client.CallAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope")).Kind);
        // StackExchange.Redis' +sentinel handler asks for the literal service name "sentinel": an answer, never a crash.
        Assert.Equal(RespKind.Error, (await client.CallAsync("SENTINEL", "SENTINELS", "sentinel")).Kind);

        endpoint.State.SetView(TestViews.Orders(null));
        Assert.Equal(RespKind.Null, (await client.CallAsync("SENTINEL", "get-master-addr-by-name", "orders")).Kind);
    }

    [Fact]
    public async Task Masters_master_replicas_and_slaves_carry_the_fields_clients_read()
    {
        await using var endpoint = SentinelEndpoint.Start();
        endpoint.State.SetView(TestViews.Orders("n1", epoch: 4, "n3"));
        endpoint.State.SetPeers([new SentinelPeer("b".PadLeft(40, 'b'), "127.0.0.1", 26380, 120)]);
        await using var client = await endpoint.ConnectAsync();

        var masters = await client.CallAsync("SENTINEL", "masters");
        var master = Assert.Single(masters.Items!).Fields();
        Assert.Equal("orders", master["name"]);
        Assert.Equal("127.0.0.1", master["ip"]);
        Assert.Equal("7001", master["port"]);
        Assert.Equal("n1", master["runid"]);
        Assert.Equal("master", master["flags"]);
        Assert.Equal("1", master["num-other-sentinels"]);
        Assert.Equal("3", master["quorum"]);
        Assert.Equal("2", master["num-slaves"]);
        Assert.Equal("4", master["config-epoch"]);
        Assert.Equal(master, (await client.CallAsync("SENTINEL", "master", "orders")).Fields());
        Assert.Equal("ERR No such master with that name", (await client.CallAsync("SENTINEL", "master", "nope")).Text);

        var replicas = (await client.CallAsync("SENTINEL", "replicas", "orders")).Items!.Select(r => r.Fields()).ToList();
        Assert.Equal(["127.0.0.1:7002", "127.0.0.1:7003"], replicas.Select(r => r["name"]));
        Assert.Equal(["7002", "7003"], replicas.Select(r => r["port"]));
        Assert.Equal(["slave", "slave,s_down,disconnected"], replicas.Select(r => r["flags"]));
        Assert.Equal(["ok", "err"], replicas.Select(r => r["master-link-status"]));
        Assert.All(replicas, r => Assert.Equal("100", r["slave-repl-offset"]));
        Assert.All(replicas, r => Assert.Equal("100", r["slave-priority"]));
        Assert.Equal(replicas, (await client.CallAsync("SENTINEL", "SLAVES", "orders")).Items!.Select(r => r.Fields()).ToList());

        var sentinel = Assert.Single((await client.CallAsync("SENTINEL", "sentinels", "orders")).Items!).Fields();
        Assert.Equal("26380", sentinel["port"]);
        Assert.Equal("sentinel", sentinel["flags"]);
    }

    [Fact]
    public async Task A_group_that_lost_its_primary_is_a_master_in_s_down_and_o_down_at_its_last_address()
    {
        await using var endpoint = SentinelEndpoint.Start();
        endpoint.State.SetView(TestViews.Orders(null, 2, "n1") with { LastPrimary = TestViews.N1 });
        await using var client = await endpoint.ConnectAsync();

        var master = (await client.CallAsync("SENTINEL", "master", "orders")).Fields();
        Assert.Equal("7001", master["port"]);
        Assert.Equal("master,s_down,o_down", master["flags"]);
        Assert.Equal(RespKind.Null, (await client.CallAsync("SENTINEL", "get-master-addr-by-name", "orders")).Kind);
    }

    [Fact]
    public async Task Ckquorum_myid_role_info_and_ping_answer_like_sentinel()
    {
        await using var endpoint = SentinelEndpoint.Start();
        endpoint.State.SetView(TestViews.Orders("n1"));
        await using var client = await endpoint.ConnectAsync();

        Assert.StartsWith("OK 4 usable members", (await client.CallAsync("SENTINEL", "ckquorum", "orders")).Text, StringComparison.Ordinal);
        endpoint.State.SetView(TestViews.Orders("n1", 1, "n2", "n3") with { UpVoters = 2 });
        var noQuorum = await client.CallAsync("SENTINEL", "ckquorum", "orders");
        Assert.Equal(RespKind.Error, noQuorum.Kind);
        Assert.StartsWith("NOQUORUM 2 usable members", noQuorum.Text, StringComparison.Ordinal);

        var id = (await client.CallAsync("SENTINEL", "myid")).Text!;
        Assert.Matches("^[0-9a-f]{40}$", id);
        Assert.Equal(id, (await client.CallAsync("SENTINEL", "MYID")).Text);

        var role = await client.CallAsync("ROLE");
        Assert.Equal("sentinel", role.Items![0].Text);
        Assert.Equal(["orders"], role.Items[1].Texts());

        var info = (await client.CallAsync("INFO")).Text!;
        Assert.Contains("redis_mode:sentinel\r\n", info, StringComparison.Ordinal);
        Assert.Contains($"redis_version:{SentinelReplies.RedisVersion}\r\n", info, StringComparison.Ordinal);
        Assert.True(Version.Parse(SentinelReplies.RedisVersion) >= new Version(5, 0, 0));
        Assert.Contains("master0:name=orders,status=ok,address=127.0.0.1:7001,slaves=2,sentinels=1", info, StringComparison.Ordinal);
        Assert.Contains("# Server", (await client.CallAsync("INFO", "server")).Text, StringComparison.Ordinal);
        Assert.Equal("", (await client.CallAsync("INFO", "replication")).Text); // as Sentinel: no such section

        Assert.Equal("PONG", (await client.CallAsync("PING")).Text);
        Assert.Equal("hello", (await client.CallAsync("PING", "hello")).Text);
    }

    [Fact]
    public async Task An_unknown_command_or_subcommand_is_an_error_and_the_connection_stays_usable()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var client = await endpoint.ConnectAsync();

        var unknown = await client.CallAsync("SET", "k", "v");
        Assert.Equal(RespKind.Error, unknown.Kind);
        Assert.Equal("ERR unknown command 'SET', with args beginning with: 'k' 'v' ", unknown.Text);
        Assert.StartsWith("ERR unknown subcommand 'reset'", (await client.CallAsync("SENTINEL", "reset", "*")).Text, StringComparison.Ordinal);
        Assert.Equal("ERR wrong number of arguments for 'sentinel|master' command", (await client.CallAsync("SENTINEL", "master")).Text);
        Assert.Equal("PONG", (await client.CallAsync("PING")).Text);

        await client.SendRawAsync("PING\r\n"); // inline, as nc and HAProxy's redis-check send it
        Assert.Equal("PONG", (await client.ReadAsync()).Text);
    }

    [Fact]
    public async Task With_a_password_every_command_but_auth_needs_it_and_hello_can_authenticate()
    {
        await using var endpoint = SentinelEndpoint.Start(o => o.Password = "s3cret-pass");
        endpoint.State.SetView(TestViews.Orders("n1"));
        await using var client = await endpoint.ConnectAsync();

        Assert.Equal("NOAUTH Authentication required.", (await client.CallAsync("SENTINEL", "get-master-addr-by-name", "orders")).Text);
        Assert.StartsWith("NOAUTH", (await client.CallAsync("HELLO", "2")).Text, StringComparison.Ordinal);
        Assert.StartsWith("WRONGPASS", (await client.CallAsync("AUTH", "wrong")).Text, StringComparison.Ordinal);
        Assert.StartsWith("WRONGPASS", (await client.CallAsync("AUTH", "someone", "s3cret-pass")).Text, StringComparison.Ordinal);
        Assert.Equal("NOAUTH Authentication required.", (await client.CallAsync("PING")).Text);
        Assert.Equal("OK", (await client.CallAsync("AUTH", "default", "s3cret-pass")).Text);
        Assert.Equal("7001", (await client.CallAsync("SENTINEL", "get-master-addr-by-name", "orders")).Texts()[1]);

        await using var other = await endpoint.ConnectAsync();
        var hello = (await other.CallAsync("HELLO", "2", "AUTH", "default", "s3cret-pass")).Fields();
        Assert.Equal("sentinel", hello["mode"]);
        Assert.Equal("2", hello["proto"]);
        Assert.Equal("PONG", (await other.CallAsync("PING")).Text);
    }

    [Fact]
    public async Task Auth_without_a_password_configured_and_hello_3_are_clean_errors()
    {
        await using var endpoint = SentinelEndpoint.Start();
        await using var client = await endpoint.ConnectAsync();

        Assert.StartsWith("ERR AUTH <password> called without any password configured", (await client.CallAsync("AUTH", "x")).Text, StringComparison.Ordinal);
        Assert.Equal("NOPROTO sorry, this protocol version is not supported", (await client.CallAsync("HELLO", "3")).Text);
        Assert.Equal("sentinel", (await client.CallAsync("HELLO")).Fields()["mode"]);
        Assert.Equal("PONG", (await client.CallAsync("PING")).Text);
    }

    [Fact]
    public async Task Failover_runs_the_planned_switchover_and_maps_its_outcome()
    {
        var asked = new List<string>();
        await using var endpoint = SentinelEndpoint.Start(failover: (g, _) =>
        {
            asked.Add(g);
            return Task.FromResult(new SwitchoverOutcome(SwitchoverResult.Completed, "done", "n1", "n2", 2, 10));
        });
        endpoint.State.SetView(TestViews.Orders("n1"));
        await using var client = await endpoint.ConnectAsync();

        Assert.Equal("OK", (await client.CallAsync("SENTINEL", "failover", "orders")).Text);
        Assert.Equal(["orders"], asked);
        Assert.Equal("ERR No such master with that name", (await client.CallAsync("SENTINEL", "failover", "nope")).Text);

        endpoint.Failover = (_, _) => Task.FromResult(new SwitchoverOutcome(SwitchoverResult.InProgress, "busy"));
        Assert.StartsWith("INPROG", (await client.CallAsync("SENTINEL", "failover", "orders")).Text, StringComparison.Ordinal);
        endpoint.Failover = (_, _) => Task.FromResult(new SwitchoverOutcome(SwitchoverResult.Refused, "nobody up"));
        Assert.StartsWith("NOGOODSLAVE", (await client.CallAsync("SENTINEL", "failover", "orders")).Text, StringComparison.Ordinal);
        endpoint.Failover = (_, _) => Task.FromResult(new SwitchoverOutcome(SwitchoverResult.TimedOut, "no member caught up\r\nin time"));
        Assert.Equal("ERR failover did not complete: no member caught up  in time", (await client.CallAsync("SENTINEL", "failover", "orders")).Text);
    }
}
