using System.CommandLine;
using RingKV.Cli.Views;

namespace RingKV.Cli.Commands;

/// <summary>
/// Read-only views for operators, run like the client verbs (<see cref="ClientCommands"/> adds the seed option and
/// handles connection errors): <c>ring</c>, who serves the slots; <c>status</c>, how each node is doing.
/// </summary>
public static class ClusterViewCommands
{
    public static IEnumerable<Command> All()
    {
        var ring = new Command("ring", "Show the ring: per node its virtual nodes, primary slots and share, slots held; epoch, RF, balance, running transition")
        {
            ClientCommands.Json,
        };
        ring.SetAction((r, _) => ClientCommands.RunAsync(r, client =>
        {
            var summary = RingSummary.Of(client.Map);
            if (r.GetValue(ClientCommands.Json))
            {
                JsonOutput.Write(summary);
            }
            else
            {
                RingView.PrintRing(summary);
            }
            return Task.FromResult(0);
        }));
        yield return ring;

        var status = new Command("status",
            "Show cluster health: epoch, nodes UP, RF, rebalance state, the coordinator group's leader and term, and per node its keys, memory, "
            + "commands and clients (from INFO); "
            + $"a node that does not answer within {HealthProbe.NodeTimeout.TotalSeconds:0} s shows as unreachable")
        {
            ClientCommands.Json,
        };
        status.SetAction((r, _) => ClientCommands.RunAsync(r, async client =>
        {
            var health = await HealthProbe.RunAsync(client, ClientCommands.Seeds(r));
            if (r.GetValue(ClientCommands.Json))
            {
                JsonOutput.Write(health);
            }
            else
            {
                HealthView.Print(health);
            }
            // Unreachable nodes are part of the report, not a failure of the verb.
            return 0;
        }));
        yield return status;
    }
}
