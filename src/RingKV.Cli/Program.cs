using System.CommandLine;
using RingKV.Cli.Commands;

// Socket completions run the request loop on the socket engine's thread instead of hopping to the thread pool: one
// hop less per request batch, the single largest gain measured (ADR 0010). The runtime reads this once, when the
// first socket is used, so it is set before anything else; an operator's own setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var root = new RootCommand("""
    RingKV: a distributed key-value store that speaks the Redis protocol.
    Keys are spread over nodes by consistent hashing and kept on N nodes (default 3).
    """)
{
    RoleCommands.Coordinator(),
    RoleCommands.Node(),
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
