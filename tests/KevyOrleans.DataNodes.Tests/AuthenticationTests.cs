using KevyOrleans.Grains.DataNodes.Resp;

namespace KevyOrleans.DataNodes.Tests;

/// <summary>AUTH on connect, with requirepass and with an ACL user; a refusal says so and never shows the password.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string Password = "pw-for-the-requirepass-7f3a";
    private const string AgentPassword = "pw-for-the-acl-user-91c2";
    private RedisServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(Password);
        await using var admin = await Independent.ConnectAsync(_server, Password);
        await admin.Server.ExecuteAsync("ACL", "SETUSER", "agent", "on", $">{AgentPassword}", "~*", "&*", "+@all");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private RespDataNode Node(DataNodeCredentials? credentials) =>
        new(_server.Host, _server.Port, DataNodeKind.Redis, credentials, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task The_right_password_or_acl_user_is_let_in()
    {
        await using var byPassword = Node(new DataNodeCredentials(null, Password));
        Assert.Equal(DataNodeRole.Master, (await byPassword.ProbeAsync(Deadline.Call())).Role);
        await using var byUser = Node(new DataNodeCredentials("agent", AgentPassword));
        await byUser.FenceAsync(Deadline.Call());
        await byUser.UnfenceAsync(Deadline.Call());
        Assert.Equal(DataNodeRole.Master, (await byUser.ProbeAsync(Deadline.Call())).Role);
    }

    [Theory]
    [InlineData(null, "wrong-password-5d8e")]
    [InlineData("agent", "wrong-password-5d8e")]
    [InlineData("nobody", AgentPassword)]
    public async Task A_refused_login_says_authentication_failed_and_never_shows_the_password(string? user, string password)
    {
        await using var node = Node(new DataNodeCredentials(user, password));
        var e = await Assert.ThrowsAsync<RespAuthenticationException>(() => node.ProbeAsync(Deadline.Call()));
        Assert.Contains($"authentication failed at {_server.Host}:{_server.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, e.ToString(), StringComparison.Ordinal);
        if (user is not null)
        {
            Assert.Contains($"user '{user}'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_credentials_the_server_says_NOAUTH()
    {
        await using var node = Node(null);
        var e = await Assert.ThrowsAsync<RespServerException>(() => node.ProbeAsync(Deadline.Call()));
        Assert.Contains("NOAUTH", e.Message, StringComparison.Ordinal);
    }
}
