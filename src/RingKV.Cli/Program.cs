using System.CommandLine;
using RingKV.Cli.Commands;

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
