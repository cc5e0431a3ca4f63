using System.CommandLine;
using System.Globalization;
using RingKV.Cli.Commands;

// Socket completions run the request loop on the socket engine's thread instead of hopping to the thread pool: one
// hop less per request batch, the single largest gain measured (ADR 0010). The runtime reads this once, when the
// first socket is used, so it is set before anything else; an operator's own setting wins.
// With completions inline, the socket engine threads do all request work; the runtime starts one engine per 32
// cores, so on small machines every connection would share one thread and leave the other cores idle. One engine per
// core let a 2-core node serve about 1.5x (SET) to 2x (GET) the pipelined load of one engine (ADR 0010).
SetDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
SetDefault("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));

var root = new RootCommand("""
    RingKV: a distributed key-value store that speaks the Redis protocol.
    Keys are spread over nodes by consistent hashing and kept on N nodes (default 3).
    """)
{
    RoleCommands.Coordinator(),
    RoleCommands.Node(),
    ConfigCommands.Config(),
    ClusterCommands.Cluster(),
    RebalanceCommands.Rebalance(),
    RepairCommand.Create(),
    DemoCommand.Create(),
    VerifyCommand.Create(),
};
foreach (var verb in ClientCommands.All())
{
    root.Add(verb);
}
return await root.Parse(args).InvokeAsync();

static void SetDefault(string variable, string value)
{
    if (Environment.GetEnvironmentVariable(variable) is null)
    {
        Environment.SetEnvironmentVariable(variable, value);
    }
}
