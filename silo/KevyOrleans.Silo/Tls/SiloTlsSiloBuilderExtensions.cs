using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace KevyOrleans.Silo.Tls;

/// <summary>Wires <see cref="SiloTlsOptions"/> into Orleans' connections (<c>Microsoft.Orleans.Connections.Security</c>).</summary>
public static class SiloTlsSiloBuilderExtensions
{
    /// <summary>
    /// When <paramref name="options"/> is enabled, every Orleans connection of this silo speaks TLS: silo-to-silo
    /// inbound and outbound, and the client gateway. The peer's certificate must pass
    /// <see cref="SiloTlsCertificates.Refusal"/>; a refused peer is logged (event 5001) and cannot join.
    /// </summary>
    public static ISiloBuilder UseKevySiloTls(this ISiloBuilder silo, SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return silo;
        }
        // Loaded here (validation already did once): a file changed in between is named, not a stack trace.
        SiloTlsCertificates certificates;
        try
        {
            certificates = SiloTlsCertificates.Load(options);
        }
        catch (SiloTlsException e)
        {
            throw new ConfigurationProblem(e.Message, e);
        }
        silo.Services.AddSingleton(certificates);
        TlsOptions? tls = null;
        var building = new Lock();
        TlsOptions Tls(IServiceProvider services)
        {
            lock (building)
            {
                return tls ??= Create(options, certificates, services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloTlsSiloBuilderExtensions).FullName!));
            }
        }
        return silo.Configure<SiloConnectionOptions>(c =>
        {
            c.ConfigureSiloInboundConnection(b => b.UseServerTls(Tls(b.ApplicationServices)));
            c.ConfigureGatewayInboundConnection(b => b.UseServerTls(Tls(b.ApplicationServices)));
            c.ConfigureSiloOutboundConnection(b => b.UseClientTls(Tls(b.ApplicationServices)));
        });
    }

    private static TlsOptions Create(SiloTlsOptions options, SiloTlsCertificates certificates, ILogger logger)
    {
        var mode = options.RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
        var tls = new TlsOptions
        {
            LocalCertificate = certificates.Certificate,
            RemoteCertificateMode = mode,
            ClientCertificateMode = mode,
            HandshakeTimeout = TimeSpan.FromMilliseconds(options.HandshakeTimeoutMs),
            RemoteCertificateValidation = (certificate, _, _) =>
            {
                // Chain and name errors of the platform are not ours to judge: the thumbprints and the CA decide.
                if (certificates.Refusal(certificate) is not { } reason)
                {
                    return true;
                }
                SiloTlsLog.Refused(logger, certificate.Subject, reason);
                return false;
            },
        };
        SiloTlsLog.Enabled(logger, certificates.Certificate.Subject, certificates.Certificate.GetCertHashString(HashAlgorithmName.SHA256),
            options.RequireClientCertificate ? "required" : "optional");
        return tls;
    }
}
