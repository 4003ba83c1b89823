namespace KevyOrleans.Gateway;

/// <summary>
/// The <c>Kevy:Gateway:Tls</c> section: TLS on the elect listeners (kevy servers reach us through a TLS
/// terminator) and on the outbound links (we reach them through one), with client certificates (mTLS)
/// as an option. One certificate serves both: the server certificate of the listeners and the client
/// certificate the links present.
/// </summary>
public sealed class GatewayTlsOptions
{
    /// <summary>The elect listeners speak TLS; plain connections are dropped at their first bytes.</summary>
    public bool Inbound { get; set; }

    /// <summary>The outbound links speak TLS and check the peer's certificate against the member's configured host.</summary>
    public bool Outbound { get; set; }

    /// <summary>This silo's certificate: a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM file; required for <see cref="Inbound"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> when it is not in the same file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of the PFX file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Listeners require a client certificate (mTLS) that passes <see cref="CaPath"/> and/or <see cref="AllowedThumbprints"/>.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>PEM file of the CA certificate(s) peers' certificates must chain to (client certificates inbound, server certificates outbound); empty = the system's trust store.</summary>
    public string? CaPath { get; set; }

    /// <summary>Comma-separated SHA-256 thumbprints (hex); when set, a peer's certificate must be one of them.</summary>
    public string? AllowedThumbprints { get; set; }

    internal bool Enabled => Inbound || Outbound;

    /// <summary>The thumbprints of <see cref="AllowedThumbprints"/>, upper case, without separators.</summary>
    internal IReadOnlyList<string> Thumbprints =>
        (AllowedThumbprints ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToList();

    internal void Validate(string section, List<string> errors)
    {
        void File(string name, string? path)
        {
            if (!string.IsNullOrWhiteSpace(path) && !System.IO.File.Exists(path))
            {
                errors.Add($"{section}:{name} is '{path}'; the file does not exist");
            }
        }
        if (Inbound && string.IsNullOrWhiteSpace(CertificatePath))
        {
            errors.Add($"{section}:{nameof(CertificatePath)} is empty; {section}:{nameof(Inbound)} needs the listeners' certificate");
        }
        if (RequireClientCertificate && !Inbound)
        {
            errors.Add($"{section}:{nameof(RequireClientCertificate)} is true but {section}:{nameof(Inbound)} is false; client certificates need TLS on the listeners");
        }
        if (RequireClientCertificate && string.IsNullOrWhiteSpace(CaPath) && Thumbprints.Count == 0)
        {
            errors.Add($"{section}:{nameof(RequireClientCertificate)} is true but neither {nameof(CaPath)} nor {nameof(AllowedThumbprints)} is set; say which client certificates are accepted");
        }
        if (!string.IsNullOrWhiteSpace(KeyPath) && string.IsNullOrWhiteSpace(CertificatePath))
        {
            errors.Add($"{section}:{nameof(KeyPath)} is set but {nameof(CertificatePath)} is empty");
        }
        foreach (var t in Thumbprints)
        {
            if (t.Length != 64 || !t.All(Uri.IsHexDigit))
            {
                errors.Add($"{section}:{nameof(AllowedThumbprints)} has '{t}'; each must be a SHA-256 thumbprint (64 hex digits)");
            }
        }
        if (Enabled)
        {
            File(nameof(CertificatePath), CertificatePath);
            File(nameof(KeyPath), KeyPath);
            File(nameof(CaPath), CaPath);
        }
    }
}
