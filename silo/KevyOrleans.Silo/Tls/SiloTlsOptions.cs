using KevyOrleans.Hosting;

namespace KevyOrleans.Silo.Tls;

/// <summary>
/// <c>Kevy:SiloTls</c>: TLS on the Orleans connections between silos (and on the Orleans client gateway),
/// mutual by default. Every silo of a fleet presents its certificate and accepts only peers whose
/// certificate is one of <see cref="AllowedThumbprints"/> and/or chains to <see cref="CaPath"/>.
/// </summary>
public sealed class SiloTlsOptions
{
    /// <summary>The configuration path of the section.</summary>
    public const string SectionName = "Kevy:SiloTls";

    /// <summary>Silo-to-silo connections speak TLS; a silo without it (or with a certificate not accepted) cannot join.</summary>
    public bool Enabled { get; set; }

    /// <summary>This silo's certificate: a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM file. Exactly one of this and <see cref="StoreThumbprint"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> when it is not in the same file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of the PFX file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The SHA-1 thumbprint (as the store lists it) of this silo's certificate in the X.509 store <see cref="StoreLocation"/>/<see cref="StoreName"/>.</summary>
    public string? StoreThumbprint { get; set; }

    /// <summary>The store to look in: <c>My</c>, <c>Root</c>, ... (<see cref="System.Security.Cryptography.X509Certificates.StoreName"/>).</summary>
    public string StoreName { get; set; } = "My";

    /// <summary><c>CurrentUser</c> or <c>LocalMachine</c>.</summary>
    public string StoreLocation { get; set; } = "CurrentUser";

    /// <summary>A peer connecting to this silo must present a certificate (mTLS). False accepts a connection without one (a checked one must still pass).</summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>Comma-separated SHA-256 thumbprints (hex, colons allowed); when set, a peer's certificate must be one of them.</summary>
    public string? AllowedThumbprints { get; set; }

    /// <summary>PEM file of the CA certificate(s) peers' certificates must chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    public int HandshakeTimeoutMs { get; set; } = 5000;

    /// <summary>The thumbprints of <see cref="AllowedThumbprints"/>, upper case, without separators.</summary>
    internal IReadOnlyList<string> Thumbprints =>
        (AllowedThumbprints ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToList();

    /// <summary>
    /// Every error of the section, each naming its key: the shape first, then (when the shape is right) the
    /// certificate and CA files are loaded, so a missing file, a wrong password or a certificate without its
    /// private key stops the silo at start rather than at the first connection.
    /// </summary>
    internal IEnumerable<ConfigurationError> Validate()
    {
        const string S = SectionName;
        if (!Enabled)
        {
            yield break;
        }
        var fromFile = !string.IsNullOrWhiteSpace(CertificatePath);
        var fromStore = !string.IsNullOrWhiteSpace(StoreThumbprint);
        var errors = new List<ConfigurationError>();
        if (!fromFile && !fromStore)
        {
            errors.Add(new($"{S}:CertificatePath", null, $"{S}:Enabled is true but no certificate is set; give {S}:CertificatePath (PFX or PEM) or {S}:StoreThumbprint"));
        }
        if (fromFile && fromStore)
        {
            errors.Add(new($"{S}:StoreThumbprint", StoreThumbprint, $"{S}:CertificatePath and {S}:StoreThumbprint are both set; give one certificate"));
        }
        if (!string.IsNullOrWhiteSpace(KeyPath) && !fromFile)
        {
            errors.Add(new($"{S}:KeyPath", KeyPath, $"{S}:KeyPath is set but {S}:CertificatePath is empty"));
        }
        if (string.IsNullOrWhiteSpace(CaPath) && Thumbprints.Count == 0)
        {
            errors.Add(new($"{S}:AllowedThumbprints", null, $"{S}: neither {S}:CaPath nor {S}:AllowedThumbprints is set; say which silos' certificates are accepted"));
        }
        foreach (var t in Thumbprints.Where(t => t.Length != 64 || !t.All(Uri.IsHexDigit)))
        {
            errors.Add(new($"{S}:AllowedThumbprints", t, $"{S}:AllowedThumbprints has '{t}'; each must be a SHA-256 thumbprint (64 hex digits)"));
        }
        if (!Enum.TryParse<System.Security.Cryptography.X509Certificates.StoreName>(StoreName, ignoreCase: true, out _))
        {
            errors.Add(new($"{S}:StoreName", StoreName, $"{S}:StoreName is '{StoreName}'; it must be a store name such as My or Root"));
        }
        if (!Enum.TryParse<System.Security.Cryptography.X509Certificates.StoreLocation>(StoreLocation, ignoreCase: true, out _))
        {
            errors.Add(new($"{S}:StoreLocation", StoreLocation, $"{S}:StoreLocation is '{StoreLocation}'; it must be CurrentUser or LocalMachine"));
        }
        if (HandshakeTimeoutMs <= 0)
        {
            errors.Add(new($"{S}:HandshakeTimeoutMs", $"{HandshakeTimeoutMs}", $"{S}:HandshakeTimeoutMs is {HandshakeTimeoutMs}; it must be greater than 0"));
        }
        foreach (var (key, path) in new[] { ("CertificatePath", CertificatePath), ("KeyPath", KeyPath), ("CaPath", CaPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                errors.Add(new($"{S}:{key}", path, $"{S}:{key} is '{path}'; the file does not exist"));
            }
        }
        if (errors.Count == 0)
        {
            try
            {
                SiloTlsCertificates.Load(this).Dispose();
            }
            catch (SiloTlsException e)
            {
                errors.Add(new(e.Key, null, e.Message));
            }
        }
        foreach (var e in errors)
        {
            yield return e;
        }
    }
}
