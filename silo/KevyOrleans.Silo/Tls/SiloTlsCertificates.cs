using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KevyOrleans.Silo.Tls;

/// <summary>
/// The certificates of <see cref="SiloTlsOptions"/>, loaded: this silo's own (from a file or the X.509 store,
/// with its private key, usable for both server and client authentication, since every silo is both), the CA
/// certificates peers must chain to, and the accepted thumbprints; and the check a peer's certificate must pass.
/// </summary>
public sealed class SiloTlsCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly HashSet<string> _thumbprints;
    private readonly X509Certificate2Collection? _authorities;

    private SiloTlsCertificates(X509Certificate2 certificate, X509Certificate2Collection? authorities, IEnumerable<string> thumbprints)
    {
        Certificate = certificate;
        _authorities = authorities;
        _thumbprints = new HashSet<string>(thumbprints, StringComparer.Ordinal);
    }

    /// <summary>This silo's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Loads what <paramref name="options"/> names; throws <see cref="SiloTlsException"/> naming the key whose file or entry cannot be used.</summary>
    public static SiloTlsCertificates Load(SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = string.IsNullOrWhiteSpace(options.CertificatePath) ? FromStore(options) : FromFile(options);
        try
        {
            var key = string.IsNullOrWhiteSpace(options.CertificatePath) ? "StoreThumbprint" : "CertificatePath";
            if (!certificate.HasPrivateKey)
            {
                throw Problem(key, $"the certificate {certificate.Subject} has no private key" +
                    (key == "CertificatePath" ? $"; give it in the file or in {SiloTlsOptions.SectionName}:KeyPath" : ""));
            }
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage)
            {
                var oids = usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
                if (!oids.Contains(ServerAuthentication) || !oids.Contains(ClientAuthentication))
                {
                    throw Problem(key, $"the certificate {certificate.Subject} must allow both server and client authentication (extended key usage {ServerAuthentication} and {ClientAuthentication}): every silo accepts and opens connections");
                }
            }
            return new SiloTlsCertificates(certificate, LoadAuthorities(options), options.Thumbprints);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A peer's certificate is accepted when it is one of the allowed thumbprints (if any are set) and chains to
    /// the configured CA (if one is set). The host name is not checked: silos are reached by address and
    /// identified by their certificate. Returns why not, or null when accepted.
    /// </summary>
    public string? Refusal(X509Certificate2 presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var thumbprint = presented.GetCertHashString(HashAlgorithmName.SHA256);
        if (_thumbprints.Count > 0 && !_thumbprints.Contains(thumbprint))
        {
            return $"SHA-256 thumbprint {thumbprint} is not in {SiloTlsOptions.SectionName}:AllowedThumbprints";
        }
        if (_authorities is { } authorities)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (!chain.Build(presented))
            {
                return $"it does not chain to {SiloTlsOptions.SectionName}:CaPath ({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))})";
            }
        }
        return null;
    }

    /// <summary>Releases the loaded certificates.</summary>
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in _authorities ?? [])
        {
            authority.Dispose();
        }
    }

    private static X509Certificate2 FromFile(SiloTlsOptions o)
    {
        var path = o.CertificatePath!;
        try
        {
            return Path.GetExtension(path).ToUpperInvariant() is ".PFX" or ".P12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, o.CertificatePassword)
                : string.IsNullOrEmpty(o.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(path, o.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, o.CertificatePassword, o.KeyPath);
        }
        catch (CryptographicException e)
        {
            var pfx = Path.GetExtension(path).ToUpperInvariant() is ".PFX" or ".P12";
            var hint = pfx || !string.IsNullOrEmpty(o.CertificatePassword)
                ? $" (is {SiloTlsOptions.SectionName}:CertificatePassword right?)"
                : $" (a PEM certificate needs its private key in the file or in {SiloTlsOptions.SectionName}:KeyPath)";
            throw Problem("CertificatePath", $"'{path}' cannot be loaded{hint}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Problem("CertificatePath", $"'{path}' cannot be read: {e.Message}", e);
        }
    }

    private static X509Certificate2 FromStore(SiloTlsOptions o)
    {
        var name = Enum.Parse<StoreName>(o.StoreName, ignoreCase: true);
        var location = Enum.Parse<StoreLocation>(o.StoreLocation, ignoreCase: true);
        var thumbprint = o.StoreThumbprint!.Replace(":", "", StringComparison.Ordinal).Trim();
        try
        {
            using var store = new X509Store(name, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count == 0)
            {
                throw Problem("StoreThumbprint", $"'{o.StoreThumbprint}': no such certificate in the store {location}/{name}");
            }
            foreach (var other in found.Skip(1))
            {
                other.Dispose();
            }
            return found[0];
        }
        catch (CryptographicException e)
        {
            throw Problem("StoreThumbprint", $"the store {location}/{name} cannot be opened: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection? LoadAuthorities(SiloTlsOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.CaPath))
        {
            return null;
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(o.CaPath);
        }
        catch (CryptographicException e)
        {
            throw Problem("CaPath", $"'{o.CaPath}' cannot be loaded: {e.Message}", e);
        }
        return authorities.Count > 0 ? authorities : throw Problem("CaPath", $"'{o.CaPath}' holds no PEM certificate");
    }

    private static SiloTlsException Problem(string key, string what, Exception? inner = null) =>
        new($"{SiloTlsOptions.SectionName}:{key}", $"{SiloTlsOptions.SectionName}:{key}: {what}", inner);
}

/// <summary>A certificate of <see cref="SiloTlsOptions"/> that cannot be used; the message names the key.</summary>
public sealed class SiloTlsException : Exception
{
    /// <summary>A problem with the key <paramref name="key"/>.</summary>
    public SiloTlsException(string key, string message, Exception? innerException) : base(message, innerException) => Key = key;

    /// <summary>Parameterless, for serializers.</summary>
    public SiloTlsException() => Key = SiloTlsOptions.SectionName;

    /// <summary>A problem with the section as a whole.</summary>
    public SiloTlsException(string message) : base(message) => Key = SiloTlsOptions.SectionName;

    /// <summary>A problem with the section as a whole, with its cause.</summary>
    public SiloTlsException(string message, Exception innerException) : base(message, innerException) => Key = SiloTlsOptions.SectionName;

    /// <summary>The configuration key the problem concerns.</summary>
    public string Key { get; }
}
