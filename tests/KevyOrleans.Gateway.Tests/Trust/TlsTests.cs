using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KevyOrleans.Gateway.Tests.Harness;
using KevyOrleans.Testing;

namespace KevyOrleans.Gateway.Tests.Trust;

/// <summary>
/// Group "tls": hosted h2 and h3, external e1 behind a TLS terminator (played by <see cref="TlsPeer"/>).
/// The silo's listeners and links speak TLS with client certificates (mTLS) checked against a CA the
/// test makes.
/// </summary>
public sealed class TlsSiloFixture : IAsyncLifetime
{
    public TestCertificates Certificates { get; } = new();

    public TlsPeer E1 { get; private set; } = null!;

    public GatewaySilo Silo { get; }

    public TlsSiloFixture()
    {
        Silo = new(new()
        {
            ["tls"] = [new TestMember("e1", false), new TestMember("h2", true), new TestMember("h3", true)],
        }, o =>
        {
            o.Tls.Inbound = true;
            o.Tls.Outbound = true;
            o.Tls.CertificatePath = Certificates.SiloPfxPath;
            o.Tls.CertificatePassword = TestCertificates.Password;
            o.Tls.RequireClientCertificate = true;
            o.Tls.CaPath = Certificates.CaPath;
        });
    }

    public async Task InitializeAsync()
    {
        E1 = new TlsPeer(Silo.Member("tls", "e1").ElectPort, Certificates);
        await Silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await E1.DisposeAsync();
        Certificates.Dispose();
    }
}

public sealed class TlsTests(TlsSiloFixture fixture) : IClassFixture<TlsSiloFixture>
{
    private GatewaySilo Silo => fixture.Silo;

    private int H2Port => Silo.Member("tls", "h2").ElectPort;

    private long Rejected(string reason) => Silo.Counters.Get("kevy.gateway.rejected", reason);

    private bool Delivered(ulong offset) => FrameJournal.ForGroup(Silo.Group("tls")).Any(f => f.Message.SenderId == "e1" && f.Message.ReplOffset == offset);

    [Fact]
    public async Task The_links_reach_a_tls_terminator_with_the_silos_client_certificate()
    {
        await TestWaitFor(() => fixture.E1.Text.Contains("$2\r\nHB\r\n", StringComparison.Ordinal) && fixture.E1.Text.Contains("$2\r\nh2\r\n", StringComparison.Ordinal),
            "h2's heartbeats arrive at e1 through TLS");
        Assert.Contains(fixture.Certificates.Silo.Thumbprint, fixture.E1.ClientThumbprints);
    }

    [Fact]
    public async Task A_member_with_a_certificate_of_the_ca_is_heard()
    {
        await using var stream = await ConnectAsync(fixture.Certificates.Peer);
        await stream.WriteAsync(RawFrames.Hb(1, "e1", "replica", 4801));
        await stream.FlushAsync();
        await TestWaitFor(() => Delivered(4801), "a frame over mTLS delivered");
    }

    [Fact]
    public async Task Plain_tcp_no_certificate_and_a_certificate_of_another_ca_are_refused()
    {
        var before = Rejected("tls-handshake");
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(IPAddress.Loopback, H2Port);
            await plain.GetStream().WriteAsync(RawFrames.Hb(1, "e1", "replica", 4802));
            Assert.True(await WireClient.ClosedWithinAsync(plain.Client, TimeSpan.FromSeconds(5)), "a plain connection stayed open");
        }
        foreach (var (certificate, offset) in new[] { ((X509Certificate2?)null, 4803UL), (fixture.Certificates.Untrusted, 4804UL) })
        {
            try
            {
                await using var stream = await ConnectAsync(certificate);
                await stream.WriteAsync(RawFrames.Hb(1, "e1", "replica", offset));
                await stream.FlushAsync();
                var read = await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                Assert.Equal(0, read);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
            {
                // refused during or right after the handshake
            }
        }
        await TestWaitFor(() => Rejected("tls-handshake") >= before + 3, "three refusals counted as tls-handshake");
        await Task.Delay(300);
        Assert.False(Delivered(4802) || Delivered(4803) || Delivered(4804), "a frame without a trusted certificate was delivered");
    }

    private async Task<SslStream> ConnectAsync(X509Certificate2? certificate)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, H2Port);
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            RemoteCertificateValidationCallback = (_, server, _, _) => server is not null && fixture.Certificates.Chains(server),
        });
        return ssl;
    }

    private static async Task TestWaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not met: {what}");
            await Task.Delay(20);
        }
    }
}

/// <summary>An external member behind a TLS terminator: a TLS server on its elect port that requires a client certificate and keeps what arrives.</summary>
public sealed class TlsPeer : IAsyncDisposable
{
    private readonly TestCertificates _certificates;
    private readonly StringBuilder _text = new();
    private readonly LoopbackListener _listener;

    public TlsPeer(int port, TestCertificates certificates)
    {
        _certificates = certificates;
        _listener = new LoopbackListener(port, ServeAsync);
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public ConcurrentBag<string> ClientThumbprints { get; } = [];

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using var _ = client;
        try
        {
            await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificates.Peer,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && _certificates.Chains(certificate),
            }, stopping);
            ClientThumbprints.Add(ssl.RemoteCertificate!.GetCertHashString());
            var buffer = new byte[4096];
            int n;
            while ((n = await ssl.ReadAsync(buffer, stopping)) > 0)
            {
                lock (_text)
                {
                    _text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
        }
    }
}
