using System.CommandLine;
using RingKV.Cli.Hosting;
using RingKV.Cli.Local;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary><c>ringkv cluster up</c>: a coordinator and N nodes on this machine, stopped together with Ctrl+C.</summary>
public static class ClusterCommands
{
    public static Command Cluster()
    {
        var nodes = new Option<int>("--nodes", "-n") { Description = "Number of nodes", DefaultValueFactory = _ => 3 };
        var basePort = new Option<int>("--base-port") { Description = "First coordinator's port; the nodes follow the coordinators (0 = free ports)", DefaultValueFactory = _ => 5000 };
        var dataDir = new Option<string>("--data-dir") { Description = "Parent of every process' data directory", DefaultValueFactory = _ => "./data" };
        var failureTimeout = new Option<string>("--failure-timeout") { Description = "Silence after which a node is DOWN", DefaultValueFactory = _ => "10s" };
        var replicas = new Option<int>("--replication-factor") { Description = "Copies of every key", DefaultValueFactory = _ => 3 };
        var coordinators = new Option<int>("--coordinators")
        {
            Description = "1, or a group of 3 or 5 coordinators replicating the map through Raft (ports base..base+N-1, nodes after them)",
            DefaultValueFactory = _ => 1,
        };
        coordinators.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is not (1 or 3 or 5))
            {
                r.AddError("--coordinators must be 1, 3 or 5");
            }
        });
        var up = new Command("up", "Start a coordinator (or a group) and N nodes here; Ctrl+C stops them all")
        {
            nodes, basePort, dataDir, failureTimeout, replicas, coordinators,
        };
        up.SetAction(async (result, _) =>
        {
            var options = new LocalClusterOptions
            {
                Nodes = result.GetValue(nodes),
                BasePort = result.GetValue(basePort),
                DataDirectory = result.GetValue(dataDir)!,
                FailureTimeout = Durations.Parse(result.GetValue(failureTimeout)!),
                ReplicationFactor = result.GetValue(replicas),
                Coordinators = result.GetValue(coordinators),
                Echo = true,
            };
            var stop = ProcessLifetime.Create(parentPid: null);
            LocalCluster cluster;
            try
            {
                cluster = await LocalCluster.StartAsync(options);
            }
            catch (InvalidOperationException ex)
            {
                AnsiConsole.MarkupLine($"[red]cluster did not start:[/] {Markup.Escape(ex.Message)}");
                return 1;
            }
            await using (cluster)
            {
                var table = new Table().AddColumns("process", "endpoint", "http", "pid");
                foreach (var coordinator in cluster.Coordinators)
                {
                    table.AddRow(coordinator.Name, coordinator.Endpoint, HttpOf(coordinator), coordinator.Pid.ToString());
                }
                foreach (var node in cluster.Nodes)
                {
                    table.AddRow(node.Name, $"127.0.0.1:{node.Port}", HttpOf(node), node.Pid.ToString());
                }
                AnsiConsole.Write(table);
                if (cluster.Coordinator.HttpPort is { } dashboard)
                {
                    AnsiConsole.MarkupLine($"Dashboard: [bold link]http://127.0.0.1:{dashboard}/[/]");
                }
                AnsiConsole.MarkupLine($"Try: [bold]redis-cli -p {cluster.Nodes[0].Port} SET hello world[/], [bold]ringkv list-nodes -c {cluster.CoordinatorEndpoints}[/], [bold]ringkv shell -c {cluster.CoordinatorEndpoints}[/]. Ctrl+C stops everything.");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop);
                }
                catch (OperationCanceledException)
                {
                }
                AnsiConsole.MarkupLine("[grey]stopping…[/]");
                foreach (var node in cluster.Nodes)
                {
                    await node.StopAsync(TimeSpan.FromSeconds(5));
                }
                foreach (var coordinator in cluster.Coordinators)
                {
                    await coordinator.StopAsync(TimeSpan.FromSeconds(5));
                }
            }
            return 0;
        });
        return new Command("cluster", "Run a local cluster") { up };

        static string HttpOf(Local.ManagedProcess process) => process.HttpPort is { } port ? $"http://127.0.0.1:{port}/" : "-";
    }
}
