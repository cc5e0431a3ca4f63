using System.CommandLine;
using RingKV.Cli.Admin;
using RingKV.Cli.Hosting;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary><c>ringkv rebalance status</c>: where the running transition is (slots, keys, bytes, rate, ETA per gainer).</summary>
public static class RebalanceCommands
{
    public static Command Rebalance()
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the transition with progress bars, polling every 500 ms, until the cluster is idle" };
        var json = new Option<bool>("--json") { Description = "Print the coordinator's JSON document instead (with --watch: one line per change)" };
        var timeout = AdminCommands.Timeout("With --watch: give up (exit 1) after this long", "1h");
        var status = new Command("status", "Show the running rebalance: state, ring change, slots settled, keys and MiB moved, rate, ETA, and each gainer's progress")
        {
            AdminCommands.Coordinator, watch, json, timeout,
        };
        status.SetAction((result, cancellationToken) => AdminCommands.RunAsync(result, async admin =>
        {
            var (document, report) = await admin.RebalanceStatusAsync(cancellationToken);
            if (!result.GetValue(watch) || report.State == "idle")
            {
                if (result.GetValue(json))
                {
                    Console.WriteLine(document);
                }
                else
                {
                    RebalanceView.Print(report);
                }
                return 0;
            }
            var watcher = new RebalanceWatch(admin) { Json = result.GetValue(json), Timeout = Durations.Parse(result.GetValue(timeout)!) };
            var outcome = await watcher.RunAsync((r, _) => Task.FromResult(r.State == "idle"), cancellationToken);
            if (outcome != WatchOutcome.Done)
            {
                return AdminCommands.WatchFailed(outcome, watcher);
            }
            if (!watcher.Json)
            {
                AnsiConsole.MarkupLine($"[bold]rebalance:[/] {Markup.Escape(RebalanceView.Header(watcher.Latest!))}");
                RebalanceView.PrintLast(watcher.Latest!);
            }
            return 0;
        }));
        return new Command("rebalance", "Data movement between nodes after a join, a decommission or a removal") { status };
    }
}
