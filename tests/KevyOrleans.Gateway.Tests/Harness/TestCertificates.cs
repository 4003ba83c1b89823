using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KevyOrleans.Gateway.Tests.Harness;

/// <summary>
/// A throwaway PKI made by the test: a self-signed CA and leaves it signs (for 127.0.0.1 and localhost,
/// usable as server and client certificates), written to a temporary folder as the silo would read them.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "test-only";

    private readonly string _folder = Directory.CreateTempSubdirectory("kevy-tls-").FullName;

    public TestCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kevy test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CaPath = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(CaPath, Authority.ExportCertificatePem());
        Silo = Leaf("kevy silo", Authority);
        SiloPfxPath = Path.Combine(_folder, "silo.pfx");
        File.WriteAllBytes(SiloPfxPath, Silo.Export(X509ContentType.Pfx, Password));
        Peer = Leaf("kevy peer", Authority);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var other = new CertificateRequest("CN=someone else's CA", otherKey, HashAlgorithmName.SHA256);
        other.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var otherCa = other.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Untrusted = Leaf("intruder", otherCa);
    }

    public X509Certificate2 Authority { get; }

    public string CaPath { get; }

    /// <summary>The silo's certificate (signed by <see cref="Authority"/>), also at <see cref="SiloPfxPath"/> with <see cref="Password"/>.</summary>
    public X509Certificate2 Silo { get; }

    public string SiloPfxPath { get; }

    /// <summary>An external member's certificate, signed by <see cref="Authority"/>.</summary>
    public X509Certificate2 Peer { get; }

    /// <summary>A certificate signed by another CA.</summary>
    public X509Certificate2 Untrusted { get; }

    /// <summary>True when <paramref name="certificate"/> chains to <see cref="Authority"/>.</summary>
    public bool Chains(X509Certificate certificate)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Silo.Dispose();
        Peer.Dispose();
        Untrusted.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static X509Certificate2 Leaf(string name, X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 and back, so the key is usable by SslStream as a server certificate.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, Password), Password);
    }
}
