using KevyOrleans.Silo.Tls;
using KevyOrleans.Testing;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Silo.Tests;

/// <summary>
/// <c>Kevy:SiloTls</c> is checked before the silo starts, certificates loaded: each bad value stops the silo
/// with one message naming its key, and a good one passes.
/// </summary>
public sealed class SiloTlsConfigurationTests : IDisposable
{
    private const string S = "Kevy:SiloTls";
    private readonly SiloPki _pki = new();

    [Fact]
    public void Off_by_default_and_a_certificate_with_its_trust_is_valid()
    {
        var off = SiloConfigurationCheck.Read(Config());
        Assert.True(off.IsValid, string.Join("\n", off.Messages));
        Assert.False(off.Section<SiloTlsOptions>().Enabled);
        var on = SiloConfigurationCheck.Read(Config(Good()));
        Assert.True(on.IsValid, string.Join("\n", on.Messages));
        Assert.True(on.Section<SiloTlsOptions>().RequireClientCertificate);
    }

    public static TheoryData<string, string[], string> BadValues => new()
    {
        { "TLS on without a certificate", ["Enabled=true", "CaPath={ca}"], $"{S}:Enabled is true but no certificate is set" },
        { "a missing file", ["Enabled=true", "CertificatePath={missing}", "CaPath={ca}"], $"{S}:CertificatePath is '{{missing}}'; the file does not exist" },
        { "a wrong password", ["Enabled=true", "CertificatePath={pfx}", "CertificatePassword=wrong", "CaPath={ca}"], $"{S}:CertificatePath: '{{pfx}}' cannot be loaded (is {S}:CertificatePassword right?)" },
        { "no password", ["Enabled=true", "CertificatePath={pfx}", "CaPath={ca}"], $"{S}:CertificatePath: '{{pfx}}' cannot be loaded (is {S}:CertificatePassword right?)" },
        { "a certificate without its key", ["Enabled=true", "CertificatePath={pem}", "CaPath={ca}"], $"{S}:CertificatePath: '{{pem}}' cannot be loaded (a PEM certificate needs its private key in the file or in {S}:KeyPath)" },
        { "no trust", ["Enabled=true", "CertificatePath={pfx}", $"CertificatePassword={SiloPki.Password}"], $"neither {S}:CaPath nor {S}:AllowedThumbprints is set" },
        { "a bad thumbprint", ["Enabled=true", "CertificatePath={pfx}", $"CertificatePassword={SiloPki.Password}", "AllowedThumbprints=abc"], $"{S}:AllowedThumbprints has 'ABC'" },
        { "a missing CA file", ["Enabled=true", "CertificatePath={pfx}", $"CertificatePassword={SiloPki.Password}", "CaPath={missing}"], $"{S}:CaPath is '{{missing}}'; the file does not exist" },
        { "not in the store", ["Enabled=true", "StoreThumbprint=00112233445566778899AABBCCDDEEFF00112233", "CaPath={ca}"], $"{S}:StoreThumbprint" },
        { "file and store", ["Enabled=true", "CertificatePath={pfx}", $"CertificatePassword={SiloPki.Password}", "StoreThumbprint=0011", "CaPath={ca}"], "give one certificate" },
        { "a store location", ["Enabled=true", "StoreThumbprint=0011", "StoreLocation=Elsewhere", "CaPath={ca}"], $"{S}:StoreLocation is 'Elsewhere'" },
        { "a handshake timeout", [.. GoodRaw, "HandshakeTimeoutMs=0"], $"{S}:HandshakeTimeoutMs is 0" },
        { "a typo", [.. GoodRaw, "RequireClientCert=true"], $"{S}:RequireClientCert is not a configuration key" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_the_silo_with_a_message_naming_its_key(string what, string[] values, string expected)
    {
        var messages = SiloConfigurationCheck.Find(Config(values.Select(Fill).Select(Split).ToArray()));
        var message = Assert.Single(messages);
        Assert.True(message.Contains(Fill(expected), StringComparison.Ordinal), $"{what}: {message}");
    }

    [Fact]
    public void The_loaded_certificates_accept_the_fleets_certificate_and_refuse_another_CAs_or_thumbprint()
    {
        var byCa = SiloConfigurationCheck.Read(Config(Good())).Section<SiloTlsOptions>();
        using var fleet = SiloTlsCertificates.Load(byCa);
        Assert.Null(fleet.Refusal(fleet.Certificate));
        using var intruder = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(_pki.IntruderPfxPath, SiloPki.Password);
        Assert.Contains("does not chain to Kevy:SiloTls:CaPath", fleet.Refusal(intruder), StringComparison.Ordinal);

        var byThumbprint = SiloConfigurationCheck.Read(Config(Split(Fill("Enabled=true")), Split(Fill("CertificatePath={pfx}")),
            Split($"CertificatePassword={SiloPki.Password}"), Split($"AllowedThumbprints={_pki.SiloThumbprint.ToLowerInvariant()}"))).Section<SiloTlsOptions>();
        using var pinned = SiloTlsCertificates.Load(byThumbprint);
        Assert.Null(pinned.Refusal(pinned.Certificate));
        Assert.Contains($"thumbprint {_pki.IntruderThumbprint} is not in", pinned.Refusal(intruder), StringComparison.Ordinal);
    }

    public void Dispose() => _pki.Dispose();

    private static string[] GoodRaw => ["Enabled=true", "CertificatePath={pfx}", $"CertificatePassword={SiloPki.Password}", "CaPath={ca}"];

    private (string, string)[] Good() => GoodRaw.Select(Fill).Select(Split).ToArray();

    private string Fill(string text) => text.Replace("{ca}", _pki.CaPath, StringComparison.Ordinal).Replace("{pfx}", _pki.SiloPfxPath, StringComparison.Ordinal)
        .Replace("{pem}", _pki.SiloCertificateOnlyPath, StringComparison.Ordinal).Replace("{missing}", _pki.Missing, StringComparison.Ordinal);

    private static (string, string) Split(string keyValue)
    {
        var (key, value) = (keyValue[..keyValue.IndexOf('=', StringComparison.Ordinal)], keyValue[(keyValue.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return ($"{S}:{key}", value);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2)))
        .Build();
}
