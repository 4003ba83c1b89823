using System.Net;
using System.Net.Sockets;
using KevyOrleans.Gateway.Tests.Harness;

namespace KevyOrleans.Gateway.Tests;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void Defaults_are_kevys_limits()
    {
        var o = new GatewayOptions();
        Assert.Empty(o.Validate());
        Assert.Equal((64, 256, 500, 16 * 1024), (o.MaxConnectionsPerListener, o.QueueCapacity, o.ConnectTimeoutMs, o.FrameCapBytes));
    }

    [Theory]
    [InlineData(nameof(GatewayOptions.QueueCapacity), "Kevy:Gateway:QueueCapacity is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.MaxConnectionsPerListener), "Kevy:Gateway:MaxConnectionsPerListener is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.FrameCapBytes), "Kevy:Gateway:FrameCapBytes is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.ConnectTimeoutMs), "Kevy:Gateway:ConnectTimeoutMs is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.MaxConnectionsPerSource), "Kevy:Gateway:MaxConnectionsPerSource is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.HandshakeTimeoutMs), "Kevy:Gateway:HandshakeTimeoutMs is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.MaxFramesPerSecond), "Kevy:Gateway:MaxFramesPerSecond is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.FrameBurst), "Kevy:Gateway:FrameBurst is 0; it must be greater than 0")]
    [InlineData(nameof(GatewayOptions.SourceAddressRefreshMs), "Kevy:Gateway:SourceAddressRefreshMs is 0; it must be greater than 0")]
    public void Bad_limits_are_named(string property, string expected)
    {
        var o = new GatewayOptions();
        typeof(GatewayOptions).GetProperty(property)!.SetValue(o, 0);
        Assert.Contains(expected, o.Validate());
    }

    [Fact]
    public void Members_names_the_listeners_of_this_silo_as_group_slash_member_keys()
    {
        Assert.Empty(new GatewayOptions().MemberKeys()); // every hosted member
        var o = new GatewayOptions { Members = " orders/n1, users/n2 ,," };
        Assert.Equal(["orders/n1", "users/n2"], o.MemberKeys());
        Assert.Empty(o.Validate());
        Assert.Contains("Kevy:Gateway:Members names 'n1'; each entry must be group/member, such as orders/n1", new GatewayOptions { Members = "n1" }.Validate());
        Assert.Contains("Kevy:Gateway:Members names 'orders/'; each entry must be group/member, such as orders/n1", new GatewayOptions { Members = "orders/" }.Validate());
    }

    [Fact]
    public void Trust_defaults_check_the_source_and_keep_strangers_well_below_the_listener_cap()
    {
        var o = new GatewayOptions();
        Assert.True(o.RequireSourceAddress);
        Assert.Equal((8, 1000, 200, 200, 30_000), (o.MaxConnectionsPerSource, o.HandshakeTimeoutMs, o.MaxFramesPerSecond, o.FrameBurst, o.SourceAddressRefreshMs));
        Assert.False(o.Tls.Inbound || o.Tls.Outbound);
        o.MaxConnectionsPerSource = 65;
        Assert.Contains("Kevy:Gateway:MaxConnectionsPerSource is 65; it must be at most MaxConnectionsPerListener (64)", o.Validate());
    }

    [Fact]
    public void Tls_settings_are_checked_and_named()
    {
        var o = new GatewayOptions { Tls = { Inbound = true, RequireClientCertificate = true, AllowedThumbprints = "abc", CaPath = "/no/such/ca.pem" } };
        var errors = o.Validate();
        Assert.Contains("Kevy:Gateway:Tls:CertificatePath is empty; Kevy:Gateway:Tls:Inbound needs the listeners' certificate", errors);
        Assert.Contains("Kevy:Gateway:Tls:AllowedThumbprints has 'ABC'; each must be a SHA-256 thumbprint (64 hex digits)", errors);
        Assert.Contains("Kevy:Gateway:Tls:CaPath is '/no/such/ca.pem'; the file does not exist", errors);
        var mtls = new GatewayOptions { Tls = { RequireClientCertificate = true } }.Validate();
        Assert.Contains("Kevy:Gateway:Tls:RequireClientCertificate is true but Kevy:Gateway:Tls:Inbound is false; client certificates need TLS on the listeners", mtls);
        Assert.Contains("Kevy:Gateway:Tls:RequireClientCertificate is true but neither CaPath nor AllowedThumbprints is set; say which client certificates are accepted", mtls);
    }

    [Fact]
    public void A_bind_address_must_be_an_ip_and_the_backoff_cap_at_least_its_base()
    {
        var o = new GatewayOptions { BindAddress = "everywhere", ReconnectBaseBackoffMs = 500, ReconnectMaxBackoffMs = 100 };
        Assert.Contains("Kevy:Gateway:BindAddress is 'everywhere'; it must be an IP address such as 0.0.0.0", o.Validate());
        Assert.Contains("Kevy:Gateway:ReconnectMaxBackoffMs is 100; it must be at least ReconnectBaseBackoffMs (500)", o.Validate());
    }

    [Fact]
    public async Task A_silo_whose_elect_port_is_taken_does_not_start_and_names_member_and_endpoint()
    {
        var member = new TestMember("h1", Hosted: true);
        using var squatter = new TcpListener(IPAddress.Loopback, member.ElectPort);
        squatter.Start();
        await using var silo = new GatewaySilo(new() { ["taken"] = [member, new TestMember("h2", Hosted: true), new TestMember("h3", Hosted: true)] });
        var e = await Assert.ThrowsAnyAsync<Exception>(silo.StartAsync);
        var message = e.ToString();
        Assert.Contains($"cannot listen for member {silo.Group("taken")}/h1 on 127.0.0.1:{member.ElectPort}", message, StringComparison.Ordinal);
    }
}
