using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KevyOrleans.Testing;

/// <summary>
/// A throwaway PKI for silo-to-silo TLS, made by the test (<see cref="CertificateRequest"/>): a fleet CA, a silo
/// certificate it signs (server and client authentication, as every silo is both), and an intruder's certificate
/// signed by another CA; written to a temporary folder as PFX files (with <see cref="Password"/>) and PEM, as the
/// silo reads them.
/// </summary>
public sealed class SiloPki : IDisposable
{
    public const string Password = "test-only-password";

    private readonly string _folder = Directory.CreateTempSubdirectory("kevy-silo-tls-").FullName;

    public SiloPki()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = new CertificateRequest("CN=kevy fleet test CA", caKey, HashAlgorithmName.SHA256);
        ca.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        ca.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var authority = ca.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CaPath = Write("ca.pem", authority.ExportCertificatePem());
        using var silo = Leaf("kevy silo", authority);
        SiloThumbprint = silo.GetCertHashString(HashAlgorithmName.SHA256);
        SiloPfxPath = Write("silo.pfx", silo.Export(X509ContentType.Pfx, Password));
        SiloCertificateOnlyPath = Write("silo-certificate-only.pem", silo.ExportCertificatePem());

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var other = new CertificateRequest("CN=someone else's CA", otherKey, HashAlgorithmName.SHA256);
        other.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var otherCa = other.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        using var intruder = Leaf("intruder", otherCa);
        IntruderThumbprint = intruder.GetCertHashString(HashAlgorithmName.SHA256);
        IntruderPfxPath = Write("intruder.pfx", intruder.Export(X509ContentType.Pfx, Password));
    }

    /// <summary>PEM of the fleet CA.</summary>
    public string CaPath { get; }

    /// <summary>The silos' certificate (signed by the fleet CA) with its key, protected by <see cref="Password"/>.</summary>
    public string SiloPfxPath { get; }

    /// <summary>SHA-256 thumbprint of the silos' certificate.</summary>
    public string SiloThumbprint { get; }

    /// <summary>The silos' certificate as PEM without its private key.</summary>
    public string SiloCertificateOnlyPath { get; }

    /// <summary>A certificate signed by another CA, with its key, protected by <see cref="Password"/>.</summary>
    public string IntruderPfxPath { get; }

    /// <summary>SHA-256 thumbprint of the intruder's certificate.</summary>
    public string IntruderThumbprint { get; }

    /// <summary>A path in the PKI's folder where nothing is.</summary>
    public string Missing => Path.Combine(_folder, "no-such-file.pfx");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
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
        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, Password), Password);
    }
}
