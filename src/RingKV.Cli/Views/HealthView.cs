using System.Globalization;
using RingKV.Net;
using Spectre.Console;

namespace RingKV.Cli.Views;

/// <summary>How a <see cref="ClusterHealth"/> reads on a terminal: a header line, then one row per node.</summary>
public static class HealthView
{
    /// <remarks>
    /// Memory is the process working set (used_memory_rss): the managed heap alone leaves out RocksDB's native
    /// memory. The heap and the uptime are in the JSON document only, to keep the table within 80 columns.
    /// </remarks>
    public static void Print(ClusterHealth health)
    {
        AnsiConsole.MarkupLine($"[bold]cluster:[/] {Markup.Escape(Header(health))}");
        var table = new Table()
            .AddColumn(new TableColumn("node").NoWrap()).AddColumn(new TableColumn("address").NoWrap()).AddColumn("state")
            .AddColumns(Right("keys"), Right("memory"), Right("commands"), Right("clients"));
        foreach (var node in health.Nodes)
        {
            if (!node.Reachable)
            {
                table.AddRow(Markup.Escape(node.Id), Markup.Escape(node.Address), $"{State(node.State)}\n[red]unreachable[/]", "-", "-", "-", "-");
                continue;
            }
            table.AddRow(Markup.Escape(node.Id), Markup.Escape(node.Address), State(node.State), Number(node.Keys),
                Bytes(node.UsedMemoryRss), Number(node.CommandsProcessed), Number(node.ConnectedClients));
        }
        AnsiConsole.Write(table);
        foreach (var node in health.Nodes.Where(n => !n.Reachable))
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(node.Id)}: {Markup.Escape(node.Error ?? "no answer")}[/]");
        }
    }

    /// <summary><c>epoch 7, 3/3 nodes UP (3 answering), RF 3, rebalance idle; coordinators leader 127.0.0.1:5000, term 3, 3/3 reachable</c>.</summary>
    public static string Header(ClusterHealth health) =>
        $"epoch {health.Epoch}, {health.NodesUp}/{health.NodesTotal} nodes UP ({health.NodesReachable} answering), "
        + $"RF {health.ReplicationFactor}, rebalance {health.Rebalance ?? "n/a (only the coordinator reports it)"}; "
        + CoordinatorView.HeaderPart(health.Coordinators);

    private static TableColumn Right(string header) => new TableColumn(header).RightAligned();

    private static string State(string state) => state == "UP" ? "[green]UP[/]" : $"[red]{Markup.Escape(state)}[/]";

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static string Bytes(long? value) => value is { } bytes ? ServerSession.HumanBytes(bytes) : "?";
}
