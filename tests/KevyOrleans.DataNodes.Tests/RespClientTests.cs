using System.Diagnostics;
using System.Text;
using KevyOrleans.Grains.DataNodes.Resp;
using KevyOrleans.Protocol.Resp;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>
/// The RESP client on its own: deadlines against peers that refuse or never answer, replies that arrive
/// in pieces, error replies, and reconnecting after any failure. Bounds on time are generous: they prove
/// "fails at its deadline, not never", not speed.
/// </summary>
public sealed class RespClientTests : IClassFixture<RedisPair>
{
    private static readonly string[] Ping = ["PING"];
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);
    private readonly RedisPair _redis;

    public RespClientTests(RedisPair redis) => _redis = redis;

    [Fact]
    public async Task A_port_where_nothing_listens_fails_within_the_deadline()
    {
        await using var client = new RespClient("127.0.0.1", FreePort.Get());
        var started = Stopwatch.GetTimestamp();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync(Ping, Deadline.After(TimeSpan.FromMilliseconds(500))));
        Assert.True(e is IOException or OperationCanceledException, e.ToString());
        Assert.Contains($"127.0.0.1:{client.Port}", e.Message, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) < Generous);
    }

    [Fact]
    public async Task A_peer_that_accepts_and_never_answers_fails_at_the_deadline_and_the_next_call_reconnects()
    {
        await using var peer = FakePeer.Silent();
        await using var client = new RespClient("127.0.0.1", peer.Port);
        var started = Stopwatch.GetTimestamp();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync(Ping, Deadline.After(TimeSpan.FromMilliseconds(300))));
        Assert.True(Stopwatch.GetElapsedTime(started) < Generous);
        Assert.Contains("no answer to PING before the deadline", e.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync(Ping, Deadline.After(TimeSpan.FromMilliseconds(300))));
        Assert.Equal(2, peer.Accepted); // the late reply of the first call can never be read as the second's
    }

    [Fact]
    public async Task A_reply_that_arrives_one_byte_at_a_time_is_read_whole()
    {
        var reply = "*5\r\n+OK\r\n-ERR inside an array\r\n:-42\r\n$-1\r\n*2\r\n$5\r\nhello\r\n$0\r\n\r\n"u8.ToArray();
        await using var peer = FakePeer.Dribbling(reply, chunk: 1, pause: TimeSpan.FromMilliseconds(1));
        await using var client = new RespClient("127.0.0.1", peer.Port);
        for (var call = 0; call < 2; call++)
        {
            var value = await client.ExecuteAsync(Ping, Deadline.Call());
            Assert.Equal(RespKind.Array, value.Kind);
            var items = value.Items!;
            Assert.Equal((RespKind.SimpleString, "OK"), (items[0].Kind, items[0].Text));
            Assert.Equal((RespKind.Error, "ERR inside an array"), (items[1].Kind, items[1].Text));
            Assert.Equal(-42, items[2].Integer);
            Assert.Equal(RespKind.Null, items[3].Kind);
            Assert.Equal(["hello", ""], items[4].Items!.Select(i => i.Text));
        }
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task A_bulk_string_larger_than_the_read_buffer_arrives_intact_in_odd_pieces()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line{i}:{i * 7}\r\n"));
        var reply = Encoding.UTF8.GetBytes($"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n");
        await using var peer = FakePeer.Dribbling(reply, chunk: 7, pause: TimeSpan.Zero);
        await using var client = new RespClient("127.0.0.1", peer.Port);
        var value = await client.ExecuteAsync(Ping, Deadline.Call());
        Assert.Equal(text, value.Text);
    }

    [Fact]
    public async Task Something_that_is_not_RESP_fails_and_drops_the_connection()
    {
        await using var peer = FakePeer.Dribbling("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), chunk: 64, pause: TimeSpan.Zero);
        await using var client = new RespClient("127.0.0.1", peer.Port);
        await Assert.ThrowsAsync<RespProtocolException>(() => client.ExecuteAsync(Ping, Deadline.Call()));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task An_error_reply_carries_the_servers_text_and_the_next_call_starts_afresh()
    {
        await _redis.ResetAsync();
        await using var client = new RespClient(_redis.A.Host, _redis.A.Port);
        var e = await Assert.ThrowsAsync<RespServerException>(() => client.ExecuteAsync(["NO-SUCH-COMMAND"], Deadline.Call()));
        Assert.Contains("unknown command", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(client.IsConnected);
        Assert.Equal("PONG", (await client.ExecuteAsync(Ping, Deadline.Call())).Text);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_data_node_killed_and_started_again_is_reached_again_after_one_failed_call()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = new RespClient(server.Host, server.Port);
        Assert.Equal("PONG", (await client.ExecuteAsync(Ping, Deadline.Call())).Text);
        await server.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync(Ping, Deadline.Call()));
        await server.StartAgainAsync();
        Assert.Equal("PONG", (await client.ExecuteAsync(Ping, Deadline.Call())).Text);
    }
}
