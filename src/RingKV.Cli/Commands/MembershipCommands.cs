using System.CommandLine;
using RingKV.Cli.Admin;
using RingKV.Cli.Hosting;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>
/// <c>ringkv node decommission &lt;id&gt;</c> and <c>ringkv node remove &lt;id&gt;</c>: take a node out of the ring. Both send
/// DECOMMISSION; the coordinator marks the node leaving, the nodes that gain its slots copy them (from the node
/// itself while it lives, from the other replicas once it is dead), and the node leaves the map when they are done.
/// Two names because operators ask two questions: retire a healthy node, or give up on a dead one.
/// </summary>
public static class MembershipCommands
{
    public static Command Decommission() => Create("decommission",
        "Retire a node: its slots are copied to their new owners, then it leaves the cluster map");

    public static Command Remove() => Create("remove",
        "Give up on a dead node: the other replicas re-replicate its slots, then it leaves the cluster map (what --removal-timeout does on its own)");

    private static Command Create(string name, string description)
    {
        var id = new Argument<string>("id") { Description = "The node's id, as `ringkv list-nodes` shows it" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the rebalance (as `rebalance status --watch`) until the node has left the map" };
        var timeout = AdminCommands.Timeout("With --wait: give up (exit 1) after this long", "1h");
        var command = new Command(name, description) { id, AdminCommands.Coordinator, wait, timeout };
        command.SetAction((result, cancellationToken) => AdminCommands.RunAsync(result, async admin =>
        {
            var nodeId = result.GetValue(id)!;
            var reply = await admin.ExecuteAsync(["DECOMMISSION", nodeId], cancellationToken);
            if (reply.IsError)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(nodeId)}: {Markup.Escape(reply.AsString() ?? "error")}");
                return AdminCommands.Failed;
            }
            AnsiConsole.MarkupLine((reply.AsString() ?? "").StartsWith("ALREADY", StringComparison.OrdinalIgnoreCase)
                ? $"{Markup.Escape(nodeId)} is already leaving."
                : $"{Markup.Escape(nodeId)} is leaving: its slots are copied to their new owners, then it leaves the cluster map.");
            if (!result.GetValue(wait))
            {
                AnsiConsole.MarkupLine($"[grey]Follow it with: ringkv rebalance status --watch -c {Markup.Escape(admin.Coordinators.ToString())}[/]");
                return 0;
            }
            var watcher = new RebalanceWatch(admin) { Timeout = Durations.Parse(result.GetValue(timeout)!) };
            // The map, not the rebalance state, says when it is over: a node that must wait for a running transition
            // leaves in the next one, and an idle report in between means nothing.
            var outcome = await watcher.RunAsync(async (_, token) => (await admin.MapAsync(token)).Find(nodeId) is null, cancellationToken);
            if (outcome != WatchOutcome.Done)
            {
                return AdminCommands.WatchFailed(outcome, watcher);
            }
            var (_, final) = await admin.RebalanceStatusAsync(cancellationToken);
            AnsiConsole.MarkupLine($"[green]{Markup.Escape(nodeId)} has left the cluster[/] (epoch {final.Epoch}).");
            RebalanceView.PrintLast(final);
            return 0;
        }));
        return command;
    }
}
