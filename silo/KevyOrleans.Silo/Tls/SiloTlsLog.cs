using Microsoft.Extensions.Logging;

namespace KevyOrleans.Silo.Tls;

/// <summary>Log events of silo-to-silo TLS (event ids 5000-5009).</summary>
internal static partial class SiloTlsLog
{
    [LoggerMessage(5000, LogLevel.Information, "silo-to-silo TLS on: certificate {Subject} (SHA-256 {Thumbprint}), client certificates {ClientCertificates}")]
    public static partial void Enabled(ILogger logger, string subject, string thumbprint, string clientCertificates);

    [LoggerMessage(5001, LogLevel.Warning, "silo-to-silo TLS: refused the certificate {Subject} of a peer: {Reason}")]
    public static partial void Refused(ILogger logger, string subject, string reason);
}
