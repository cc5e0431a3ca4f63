using System.CommandLine;
using RingKV.Cli.Admin;
using RingKV.Cli.Hosting;
using RingKV.Cli.Verify;
using RingKV.Cli.Verify.Nemeses;
using RingKV.Verification;

namespace RingKV.Cli.Commands;

/// <summary>
/// <c>ringkv verify</c>: a bounded read/write workload against a cluster, optionally under faults on a local cluster
/// it starts itself, and the consistency checkers' verdict (lost writes, phantom and stale reads, linearizability).
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string?>("--coordinator", "-c") { Description = "Check a running cluster through this coordinator (no faults are injected)" };
        var local = new Option<bool>("--local") { Description = "Start a local 3-node cluster for the run (needed for --nemesis), and stop it afterwards" };
        var nemesis = new Option<string>("--nemesis")
        {
            Description = "Fault to inject and heal in turn: " + string.Join(", ", VerifyEnvironment.NemesisNames) + " (partition needs root and ip netns)",
            DefaultValueFactory = _ => "none",
        };
        nemesis.AcceptOnlyFromAmong(VerifyEnvironment.NemesisNames);
        var clients = new Option<int>("--clients") { Description = "Concurrent logical clients", DefaultValueFactory = _ => 8 };
        var keys = new Option<int>("--keys") { Description = "Keys the clients share", DefaultValueFactory = _ => 20 };
        var ops = new Option<int>("--ops") { Description = "Most operations in all", DefaultValueFactory = _ => 2000 };
        var duration = new Option<string>("--duration") { Description = "Longest the workload runs", DefaultValueFactory = _ => "20s" };
        var seed = new Option<int>("--seed") { Description = "Seed of the operation mix and the nemesis' choices", DefaultValueFactory = _ => 1 };
        var history = new Option<string?>("--save-history") { Description = "Write the recorded history (JSON lines) to this file" };
        var budget = new Option<string>("--check-budget") { Description = "Time the linearizability search may take; keys left undecided are reported unknown", DefaultValueFactory = _ => "30s" };
        var command = new Command("verify", "Run a bounded workload, optionally under faults, and check it for lost writes, phantom and stale reads, and linearizability")
        {
            coordinator, local, nemesis, clients, keys, ops, duration, seed, history, budget,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var workload = new WorkloadOptions
            {
                Clients = result.GetValue(clients),
                Keys = result.GetValue(keys),
                Operations = result.GetValue(ops),
                Duration = Durations.Parse(result.GetValue(duration)!),
                Seed = result.GetValue(seed),
            };
            var nemesisName = result.GetValue(nemesis)!;
            var checkBudget = Durations.Parse(result.GetValue(budget)!);
            var useLocal = result.GetValue(local) || result.GetValue(coordinator) is null;
            if (!useLocal && nemesisName != "none")
            {
                Console.Error.WriteLine("error: --nemesis needs --local: faults are only injected into a cluster verify started itself");
                return 2;
            }
            VerifyResult outcome;
            if (useLocal)
            {
                await using var environment = await VerifyEnvironment.StartAsync(nemesisName);
                outcome = await RunAsync(workload, environment.RunningNodes, environment.Nemesis, checkBudget, cancellationToken);
                // Before the cluster is stopped: what was found must be on screen even if stopping hangs.
                Report(outcome, result.GetValue(history));
            }
            else
            {
                await using var admin = new AdminConnection(result.GetValue(coordinator)!);
                var map = await admin.MapAsync(cancellationToken);
                var endpoints = map.Nodes.Where(n => n.IsUp).Select(n => $"{n.Host}:{n.Port}").ToArray();
                outcome = await RunAsync(workload, () => endpoints, null, checkBudget, cancellationToken);
                Report(outcome, result.GetValue(history));
            }
            return outcome.Verdict.Passed ? 0 : 1;
        });
        return command;
    }

    private static void Report(VerifyResult outcome, string? historyPath)
    {
        if (historyPath is not null)
        {
            HistoryJson.Save(outcome.History, historyPath);
            Console.WriteLine($"history written to {historyPath}");
        }
        Console.WriteLine(outcome.Verdict.Details);
        Console.WriteLine(outcome.Verdict.SummaryLine);
    }

    private static Task<VerifyResult> RunAsync(WorkloadOptions workload, Func<IReadOnlyList<string>> endpoints, INemesis? nemesis,
        TimeSpan checkBudget, CancellationToken cancellationToken) =>
        new VerifyRunner(workload, endpoints) { Log = Console.WriteLine, CheckBudget = checkBudget }.RunAsync(nemesis, cancellationToken);
}
