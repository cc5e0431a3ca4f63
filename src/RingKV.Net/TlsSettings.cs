using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace RingKV.Net;

/// <summary>
/// TLS for RESP (clients, node to node, node to coordinator) and HTTP: the process' own certificate, when it serves
/// TLS, and the certificate authorities it trusts when it dials a peer. A cluster is TLS throughout or not at all:
/// a process with a certificate serves only TLS, and dials its peers with TLS.
/// </summary>
/// <remarks>
/// Files are PEM, as Redis' <c>tls-cert-file</c>, <c>tls-key-file</c> and <c>tls-ca-cert-file</c>. Peers are
/// verified against the CA file alone when one is given (a private cluster CA need not be in the system store), and
/// the certificate must name the host dialled (an IP address as an IP SAN). TLS 1.2 and 1.3 only.
/// </remarks>
public sealed class TlsSettings
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private TlsSettings(X509Certificate2? certificate, X509Certificate2Collection? authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This process' certificate with its private key; null when it serves no TLS (a client).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The CAs a dialled peer's certificate must chain to; null: the system's trust store.</summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>Loads the PEM files; null when neither a certificate nor a CA is given.</summary>
    /// <exception cref="ArgumentException">A certificate without its key (or the reverse).</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A file is not PEM or the key does not match.</exception>
    public static TlsSettings? Load(string? certificateFile, string? keyFile, string? authorityFile)
    {
        if ((certificateFile is null) != (keyFile is null))
        {
            throw new ArgumentException("--tls-cert-file and --tls-key-file go together");
        }
        if (certificateFile is null && authorityFile is null)
        {
            return null;
        }
        X509Certificate2? certificate = null;
        if (certificateFile is not null)
        {
            // Re-imported so the key is usable by SslStream on every platform (an ephemeral PEM key is not on all).
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        X509Certificate2Collection? authorities = null;
        if (authorityFile is not null)
        {
            authorities = [];
            authorities.ImportFromPemFile(authorityFile);
        }
        return new TlsSettings(certificate, authorities);
    }

    /// <summary>For clients: trust these CAs, present nothing.</summary>
    public static TlsSettings ForClient(X509Certificate2Collection? authorities) => new(null, authorities);

    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificate = Certificate ?? throw new InvalidOperationException("no certificate to serve TLS with"),
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = false,
    };

    public SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        EnabledSslProtocols = Protocols,
        RemoteCertificateValidationCallback = Authorities is null ? null : (_, certificate, _, errors) => Verify(certificate, errors),
    };

    /// <summary>
    /// Mutual TLS between members of the cluster (the coordinator group's Raft traffic, which has no password of its
    /// own): each end presents its certificate and accepts only one that chains to the CA file. That is the
    /// authentication, so it needs both a certificate and a CA; names are not checked, since one set of options serves
    /// every peer and a certificate from the cluster's private CA is what makes a member.
    /// </summary>
    /// <exception cref="InvalidOperationException">No certificate, or no CA file.</exception>
    public (SslServerAuthenticationOptions Server, SslClientAuthenticationOptions Client) MemberOptions()
    {
        if (Certificate is null || Authorities is null)
        {
            throw new InvalidOperationException("members authenticate each other with --tls-cert-file, --tls-key-file and --tls-ca-cert-file together");
        }
        return (new SslServerAuthenticationOptions
        {
            ServerCertificate = Certificate,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsToAuthorities(certificate),
        }, new SslClientAuthenticationOptions
        {
            TargetHost = "ringkv-cluster",
            EnabledSslProtocols = Protocols,
            ClientCertificates = [Certificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && ChainsToAuthorities(certificate),
        });
    }

    // With a CA file, chain to it alone (CustomRootTrust); the name check SslStream made still counts.
    private bool Verify(X509Certificate? certificate, SslPolicyErrors errors) =>
        certificate is not null && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
        && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && ChainsToAuthorities(certificate);

    private bool ChainsToAuthorities(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
