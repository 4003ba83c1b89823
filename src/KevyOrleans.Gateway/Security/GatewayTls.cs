using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Gateway.Security;

/// <summary>
/// TLS for the kevy wire (<see cref="GatewayTlsOptions"/>): wraps an accepted connection as the server
/// (with an optional client certificate check, mTLS) and an outbound link as the client (checking the
/// peer's certificate against the member's configured host). Certificates are loaded once, by
/// <see cref="Load"/> at gateway start, so a bad file stops the silo with the key's name.
/// </summary>
public sealed class GatewayTls : IDisposable
{
    private readonly GatewayTlsOptions _options;
    private readonly HashSet<string> _thumbprints;
    private X509Certificate2? _certificate;
    private X509Certificate2Collection? _authorities;
    private readonly Lock _loading = new();
    private volatile bool _loaded;

    /// <summary>Reads the TLS settings of the gateway; certificates are loaded later, by <see cref="Load"/>.</summary>
    /// <param name="options">The gateway options; their <c>Tls</c> section, or plain TCP when it is absent.</param>
    public GatewayTls(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Tls ?? new GatewayTlsOptions();
        _thumbprints = new HashSet<string>(_options.Thumbprints, StringComparer.Ordinal);
    }

    /// <summary>The listeners speak TLS.</summary>
    public bool Inbound => _options.Inbound;

    /// <summary>The outbound links speak TLS.</summary>
    public bool Outbound => _options.Outbound;

    /// <summary>Loads the certificate and the CA file when TLS is on; throws naming the key whose file cannot be used.</summary>
    public void Load()
    {
        if (_loaded || !_options.Enabled)
        {
            return;
        }
        lock (_loading)
        {
            if (!_loaded)
            {
                LoadLocked();
            }
        }
    }

    private void LoadLocked()
    {
        const string S = $"{GatewayOptions.SectionName}:Tls";
        if (!string.IsNullOrWhiteSpace(_options.CertificatePath))
        {
            var path = _options.CertificatePath;
            try
            {
                _certificate = Path.GetExtension(path).ToUpperInvariant() is ".PFX" or ".P12"
                    ? X509CertificateLoader.LoadPkcs12FromFile(path, _options.CertificatePassword)
                    : string.IsNullOrEmpty(_options.CertificatePassword)
                        ? X509Certificate2.CreateFromPemFile(path, _options.KeyPath)
                        : X509Certificate2.CreateFromEncryptedPemFile(path, _options.CertificatePassword, _options.KeyPath);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"{S}:CertificatePath '{path}' cannot be loaded: {e.Message}", e);
            }
            if (!_certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"{S}:CertificatePath '{path}' has no private key; give it in the file or in {S}:KeyPath");
            }
        }
        if (!string.IsNullOrWhiteSpace(_options.CaPath))
        {
            var authorities = new X509Certificate2Collection();
            try
            {
                authorities.ImportFromPemFile(_options.CaPath);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"{S}:CaPath '{_options.CaPath}' cannot be loaded: {e.Message}", e);
            }
            if (authorities.Count == 0)
            {
                throw new InvalidOperationException($"{S}:CaPath '{_options.CaPath}' holds no PEM certificate");
            }
            _authorities = authorities;
        }
        _loaded = true;
    }

    /// <summary>The server side of an accepted connection; throws when the handshake or the client's certificate fails.</summary>
    internal async Task<SslStream> AuthenticateAsServerAsync(Stream inner, CancellationToken cancellationToken)
    {
        Load();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = _options.RequireClientCertificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    _options.RequireClientCertificate ? IsTrusted(certificate, errors, checkName: false) : certificate is null || IsTrusted(certificate, errors, checkName: false),
            }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The client side of an outbound link to <paramref name="host"/>; presents this silo's certificate when there is one.</summary>
    internal async Task<SslStream> AuthenticateAsClientAsync(Stream inner, string host, CancellationToken cancellationToken)
    {
        Load();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = _certificate is null ? null : new X509CertificateCollection { _certificate },
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, checkName: true),
            }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the loaded certificate and certificate authorities.</summary>
    public void Dispose()
    {
        _certificate?.Dispose();
        foreach (var authority in _authorities ?? [])
        {
            authority.Dispose();
        }
    }

    /// <summary>
    /// A peer's certificate is trusted when it is one of the allowed thumbprints (if any are set) and
    /// chains to the configured CA (if one is set); with neither set, the system's trust store decides.
    /// Outbound, the certificate must also name the member's host.
    /// </summary>
    private bool IsTrusted(X509Certificate? presented, SslPolicyErrors errors, bool checkName)
    {
        if (presented is null || (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)))
        {
            return false;
        }
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        if (_thumbprints.Count > 0 && !_thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
        {
            return false;
        }
        if (_authorities is { } authorities)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }
        return _thumbprints.Count > 0 || (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
    }
}
