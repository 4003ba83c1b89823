using System.Net;
using System.Net.Sockets;
using System.Text;
using KevyOrleans.DataNodes.Tests.Support;
using KevyOrleans.Grains;
using KevyOrleans.Grains.DataNodes;
using KevyOrleans.Testing;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// Clients are pushed off a node whose role changed, as Sentinel pushes them (<c>CLIENT KILL TYPE normal</c>
/// and <c>pubsub</c>), so they reconnect and re-resolve the primary: checked with raw client connections
/// to real redis-servers.
/// </summary>
public sealed class ClientDisconnectTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private RedisServer _a = null!;
    private RedisServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await RedisServer.StartAsync();
        _b = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static RespDataNode Node(RedisServer server, bool disconnect) =>
        new(server.Host, server.Port, DataNodeKind.Redis, null, TimeSpan.FromSeconds(10), null, disconnect);

    [Fact]
    public async Task A_client_and_a_subscriber_of_a_demoted_node_are_disconnected_and_the_agent_keeps_its_connection()
    {
        await using var b = Node(_b, disconnect: true);
        using var client = await ConnectAsync(_b, "*1\r\n$4\r\nPING\r\n", "+PONG");
        using var subscriber = await ConnectAsync(_b, "*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n", "subscribe");

        await b.FollowAsync(_a.Host, _a.Port, Deadline.Call()); // the demote

        Assert.True(await ClosedWithinAsync(client), "a normal client of the demoted node is still connected");
        Assert.True(await ClosedWithinAsync(subscriber), "a pub/sub client of the demoted node is still connected");
        Assert.Equal(DataNodeRole.Replica, (await b.ProbeAsync(Deadline.Call())).Role); // the agent's own connection is not killed
    }

    [Fact]
    public async Task Clients_of_a_promoted_node_are_disconnected_too()
    {
        await using var b = Node(_b, disconnect: true);
        await b.FollowAsync(_a.Host, _a.Port, Deadline.Call());
        using var reader = await ConnectAsync(_b, "*1\r\n$4\r\nPING\r\n", "+PONG");

        await b.PromoteAsync(Deadline.Call());

        Assert.True(await ClosedWithinAsync(reader), "a client of the promoted node is still connected");
        Assert.Equal(DataNodeRole.Master, (await b.ProbeAsync(Deadline.Call())).Role);
    }

    [Fact]
    public async Task With_the_group_setting_off_clients_stay_connected()
    {
        await using var b = Node(_b, disconnect: false);
        using var client = await ConnectAsync(_b, "*1\r\n$4\r\nPING\r\n", "+PONG");

        await b.FollowAsync(_a.Host, _a.Port, Deadline.Call());
        await b.PromoteAsync(Deadline.Call());

        await client.SendAsync(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"));
        Assert.Contains("+PONG", await ReadAsync(client), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_follows_the_groups_setting_which_is_on_by_default()
    {
        var members = KevyOrleans.Protocol.MemberList.Parse("n1@127.0.0.1:7101:7001,n2@127.0.0.1:7102:7002");
        var group = new GroupDefinition("g", new KevyOrleans.Protocol.ElectionGroup(members), ["n1"], KevyOrleans.Election.ElectionTimings.Default, DataNodeKind.Redis);
        Assert.True(group.DisconnectClients);
        Assert.Equal([["CLIENT", "KILL", "TYPE", "normal"], ["CLIENT", "KILL", "TYPE", "pubsub"]], DataNodeDialect.DisconnectClients);
    }

    private static async Task<Socket> ConnectAsync(RedisServer server, string command, string expected)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command));
        Assert.Contains(expected, await ReadAsync(socket), StringComparison.Ordinal);
        return socket;
    }

    private static async Task<string> ReadAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(Patience);
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static async Task<bool> ClosedWithinAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
