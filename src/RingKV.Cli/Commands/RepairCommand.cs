using System.CommandLine;
using RingKV.Cli.Admin;
using RingKV.Cli.Hosting;
using RingKV.Cluster.Map;
using RingKV.Net;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary>
/// <c>ringkv repair</c>: runs anti-entropy now on every UP node (or one), one node at a time, and tabulates what
/// each compared and pulled. Each node compares per-slot digests with every peer sharing its slots and pulls only
/// the keys that differ, so a repair of an already consistent cluster moves nothing.
/// </summary>
public static class RepairCommand
{
    public static Command Create()
    {
        var node = new Option<string?>("--node") { Description = "Repair only this node (default: every UP node)" };
        var timeout = AdminCommands.Timeout("Wait this long for each node's REPAIR (it reads all of the node's data)", "10m");
        var command = new Command("repair", "Run anti-entropy now: each node compares its slots with the other replicas and pulls the keys that differ")
        {
            AdminCommands.Coordinator, node, timeout,
        };
        command.SetAction((result, cancellationToken) =>
            AdminCommands.RunAsync(result, admin => RunAsync(admin, result.GetValue(node), cancellationToken), Durations.Parse(result.GetValue(timeout)!)));
        return command;
    }

    private static async Task<int> RunAsync(AdminConnection admin, string? only, CancellationToken cancellationToken)
    {
        var map = await admin.MapAsync(cancellationToken);
        List<NodeEntry> targets;
        if (only is not null)
        {
            // Asked for by name: try it even if the coordinator thinks it is DOWN (the map may be behind).
            if (map.Find(only) is not { } entry)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] no node {Markup.Escape(only)} in the cluster map (epoch {map.Epoch})");
                return AdminCommands.Failed;
            }
            targets = [entry];
        }
        else
        {
            targets = [.. map.Nodes.Where(n => n.IsUp)];
            foreach (var down in map.Nodes.Where(n => !n.IsUp))
            {
                AnsiConsole.MarkupLine($"[grey]skipping {Markup.Escape(down.Id)}: DOWN[/]");
            }
            if (targets.Count == 0)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] no UP node in the cluster map (epoch {map.Epoch})");
                return AdminCommands.Failed;
            }
        }

        // One node at a time: each repair reads all of a node's data and its peers', and they overlap in peers.
        var results = new List<(NodeEntry Node, RepairReport? Report, string? Error)>();
        await AnsiConsole.Status().StartAsync("repairing…", async context =>
        {
            foreach (var target in targets)
            {
                context.Status($"repairing {Markup.Escape(target.Id)} ({results.Count + 1}/{targets.Count})…");
                try
                {
                    results.Add((target, await admin.RepairAsync(target.Endpoint, cancellationToken), null));
                }
                catch (Exception ex) when (ex is RespConnectionException or AdminException)
                {
                    results.Add((target, null, ex.Message));
                }
            }
        });

        var table = new Table().AddColumns("node", "peers", "slots compared", "slots differing", "keys pulled", "bytes pulled", "ms");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }
        foreach (var (target, report, error) in results)
        {
            table.AddRow(report is { } r
                ? [Markup.Escape(target.Id), r.Peers.ToString(), $"{r.SlotsCompared:N0}", $"{r.SlotsDiffering:N0}", $"{r.KeysPulled:N0}", RebalanceView.Bytes(r.BytesPulled), $"{r.ElapsedMs:N0}"]
                : [$"[red]{Markup.Escape(target.Id)}[/]", "[red]error[/]", "-", "-", "-", "-", "-"]);
        }
        AnsiConsole.Write(table);
        foreach (var (target, _, error) in results.Where(r => r.Error is not null))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(target.Id)}:[/] {Markup.Escape(error!)}");
        }
        var reports = results.Where(r => r.Report is not null).Select(r => r.Report!).ToList();
        AnsiConsole.MarkupLine($"repair: {reports.Sum(r => r.KeysPulled):N0} keys pulled from {reports.Sum(r => r.SlotsDiffering):N0} differing slots");
        var failed = results.Count - reports.Count;
        if (failed > 0)
        {
            AnsiConsole.MarkupLine($"[red]repair failed on {failed} of {results.Count} node(s)[/]");
            return AdminCommands.Failed;
        }
        return 0;
    }
}
