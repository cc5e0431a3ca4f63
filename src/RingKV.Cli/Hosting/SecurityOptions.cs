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

    public static void AddTo(Command role)
    {
        role.Add(s_requirePass);
        role.Add(s_clusterSecret);
        role.Add(s_protectedMode);
    }

    public static ServerSecurity Build(ParseResult result) =>
        new(result.GetValue(s_requirePass), result.GetValue(s_clusterSecret), result.GetValue(s_protectedMode) == "yes");

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
