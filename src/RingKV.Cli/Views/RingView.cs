using System.Globalization;
using RingKV.Cluster.Map;
using Spectre.Console;

namespace RingKV.Cli.Views;

/// <summary>
/// How a <see cref="RingSummary"/> reads on a terminal: the node table of <c>list-nodes</c> (and the shell's
/// LIST_NODES) and the slot table of <c>ring</c>, with its summary lines.
/// </summary>
public static class RingView
{
    public static void PrintNodes(ClusterMap map) => PrintNodes(RingSummary.Of(map));

    /// <summary>One row per node: id, address, UP/DOWN, place in the ring, primary and replica slots, share of the slots (as primary).</summary>
    public static void PrintNodes(RingSummary summary)
    {
        var table = new Table()
            .Title($"cluster map epoch {summary.Epoch}, RF={summary.ReplicationFactor}, {summary.VirtualNodesPerNode} vnodes/node, slots per node")
            .AddColumn(new TableColumn("node").NoWrap()).AddColumn(new TableColumn("address").NoWrap()).AddColumns("state", "ring")
            .AddColumns(Right("primary"), Right("replica"), Right("share"));
        foreach (var node in summary.Nodes)
        {
            table.AddRow(Markup.Escape(node.Id), Markup.Escape(node.Address), State(node.State), Membership(node.Membership),
                Number(node.PrimarySlots), Number(node.ReplicaSlots), Percent(node.PrimaryPercent));
        }
        AnsiConsole.Write(table);
        if (TransitionLine(summary) is { } transition)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(transition)}[/]");
        }
    }

    /// <summary>The summary line, a line about the running transition if any, then one row per node of its slots.</summary>
    public static void PrintRing(RingSummary summary)
    {
        AnsiConsole.MarkupLine($"[bold]ring:[/] {Markup.Escape(SummaryLine(summary))}");
        if (TransitionLine(summary) is { } transition)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(transition)}[/]");
        }
        var table = new Table()
            .AddColumns("node", "state", "ring")
            .AddColumns(Right("vnodes"), Right("primary slots"), Right($"% of {summary.Slots}"), Right("slots held"));
        foreach (var node in summary.Nodes)
        {
            table.AddRow(Markup.Escape(node.Id), State(node.State), Membership(node.Membership), Number(node.VirtualNodes),
                Number(node.PrimarySlots), Percent(node.PrimaryPercent), Number(node.HeldSlots));
        }
        AnsiConsole.Write(table);
    }

    /// <summary><c>epoch 7, RF 3, 256 vnodes/node, balance 1.046 (max/min primary slots)</c>.</summary>
    public static string SummaryLine(RingSummary summary) =>
        $"epoch {summary.Epoch}, RF {summary.ReplicationFactor}, {summary.VirtualNodesPerNode} vnodes/node, "
        + $"balance {(summary.Balance is { } balance ? balance.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")} (max/min primary slots)";

    /// <summary>What the running transition is doing, or null when the ring is stable.</summary>
    public static string? TransitionLine(RingSummary summary) => summary.Transition is not { } t ? null
        : t.Aborting ? $"transition #{t.Id} is being aborted: the ring stays as it is"
        : $"transition #{t.Id} running towards {string.Join(", ", t.Target)}: {t.SettledSlots}/{t.MovingSlots} moving slots settled "
          + "(ringkv rebalance status for details)";

    private static TableColumn Right(string header) => new TableColumn(header).RightAligned();

    private static string State(string state) => state == "UP" ? "[green]UP[/]" : $"[red]{Markup.Escape(state)}[/]";

    private static string Membership(string membership) => membership == "member" ? membership : $"[yellow]{membership}[/]";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
