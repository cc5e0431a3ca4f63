using System.CommandLine;
using RingKV.Net;

namespace RingKV.Cli.Hosting;

/// <summary>
/// The roles' security flags: <c>--requirepass</c>, <c>--cluster-secret</c>, <c>--protected-mode</c> (see
/// <see cref="ServerSecurity"/> and docs/security.md). Like every role flag they may come from the config file or
/// <c>RINGKV_REQUIREPASS</c> / <c>RINGKV_CLUSTER_SECRET</c>, which keep secrets out of <c>ps</c>; their values are
/// never printed (<see cref="ConfigurationKeys.IsSecret"/>).
/// </summary>
public static class SecurityOptions
{
    private static readonly Option<string?> s_requirePass = new("--requirepass")
    {
        Description = "Password clients must give (AUTH, HELLO AUTH, HTTP Authorization); prefer RINGKV_REQUIREPASS or the config file, flags show in ps",
        HelpName = "password",
    };

    private static readonly Option<string?> s_clusterSecret = new("--cluster-secret")
    {
        Description = "Secret every node and coordinator of the cluster shares: only processes that know it may join, forward, replicate and heartbeat",
        HelpName = "secret",
    };

    private static readonly Option<string> s_protectedMode = ProtectedModeOption();

    private static readonly Option<string?> s_tlsCert = new("--tls-cert-file")
    {
        Description = "PEM certificate: serve RESP and HTTP over TLS only, and dial peers with TLS (with --tls-key-file)",
        HelpName = "path",
    };

    private static readonly Option<string?> s_tlsKey = new("--tls-key-file") { Description = "PEM private key of --tls-cert-file", HelpName = "path" };

    private static readonly Option<string?> s_tlsCa = new("--tls-ca-cert-file")
    {
        Description = "PEM CA certificates peers' certificates must chain to (default: the system's trust store)",
        HelpName = "path",
    };

    public static void AddTo(Command role)
    {
        role.Add(s_requirePass);
        role.Add(s_clusterSecret);
        role.Add(s_protectedMode);
        role.Add(s_tlsCert);
        role.Add(s_tlsKey);
        role.Add(s_tlsCa);
    }

    /// <summary>The role's security settings, or null after printing why the TLS files cannot be used.</summary>
    public static ServerSecurity? TryBuild(ParseResult result)
    {
        try
        {
            return Build(result);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine($"error: TLS: {ex.Message}");
            return null;
        }
    }

    private static ServerSecurity Build(ParseResult result) =>
        new(result.GetValue(s_requirePass), result.GetValue(s_clusterSecret), result.GetValue(s_protectedMode) == "yes",
            TlsSettings.Load(result.GetValue(s_tlsCert), result.GetValue(s_tlsKey), result.GetValue(s_tlsCa)));

    private static Option<string> ProtectedModeOption()
    {
        var option = new Option<string>("--protected-mode")
        {
            Description = "yes: while no --requirepass is set, refuse clients that are not on the loopback interface (like Redis); no: accept them",
            DefaultValueFactory = _ => "yes",
            HelpName = "yes|no",
        };
        option.AcceptOnlyFromAmong("yes", "no");
        return option;
    }
}
