using System.CommandLine;

namespace RingKV.Cli.Hosting;

/// <summary>
/// The password client and admin verbs send (AUTH) to a cluster started with <c>--requirepass</c>:
/// <c>--password</c> on the client verbs, else the <c>RINGKV_PASSWORD</c> variable (which also serves the admin
/// verbs and keeps the password out of <c>ps</c> and shell history).
/// </summary>
public static class ClientCredentials
{
    public const string Variable = "RINGKV_PASSWORD";

    public static readonly Option<string?> Password = new("--password", "-a")
    {
        Description = $"Password of a cluster started with --requirepass (default: ${Variable})",
        DefaultValueFactory = _ => FromEnvironment(),
        HelpName = "password",
    };

    public static readonly Option<bool> Tls = new("--tls") { Description = "Connect with TLS (the cluster runs with --tls-cert-file)" };

    public static readonly Option<string?> CaCertificate = new("--cacert")
    {
        Description = "PEM CA certificates the cluster's certificates chain to (implies --tls; default: the system's trust store)",
        HelpName = "path",
    };

    /// <summary>The client's TLS settings from <c>--tls</c> / <c>--cacert</c>; null for plaintext.</summary>
    public static Net.TlsSettings? TlsFrom(ParseResult result) =>
        result.GetValue(CaCertificate) is { } ca ? Net.TlsSettings.Load(null, null, ca)
        : result.GetValue(Tls) ? Net.TlsSettings.ForClient(null)
        : null;

    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>What a connection sends first: AUTH with the password, or nothing.</summary>
    public static IReadOnlyList<string[]> Handshake(string? password) => password is null ? [] : [["AUTH", password]];
}
