using System.Diagnostics;
using RingKV.Cli.Verify.Nemeses;
using RingKV.Verification;

namespace RingKV.Cli.Verify;

/// <summary>
/// One verification run: the register workload against the cluster while a nemesis injects and heals faults in
/// turn (quiet period, fault held, heal), then heal, a final QUORUM read of every key, and the checkers' verdict.
/// </summary>
public sealed class VerifyRunner(WorkloadOptions workload, Func<IReadOnlyList<string>> endpoints)
{
    /// <summary>Time without a fault before each injection.</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long each fault is held before it is healed.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Budget of the linearizability search over the whole history.</summary>
    public TimeSpan CheckBudget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Receives one line per nemesis action (and the workload's start and end).</summary>
    public Action<string> Log { get; init; } = _ => { };

    public async Task<VerifyResult> RunAsync(INemesis? nemesis, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var load = new RegisterWorkload(workload, endpoints);
        var actions = new List<string>();
        void Note(string line)
        {
            var entry = $"{clock.Elapsed.TotalSeconds,6:0.0}s {line}";
            lock (actions)
            {
                actions.Add(entry);
            }
            Log(entry);
        }

        Note($"workload: {workload.Clients} clients, {workload.Keys} keys, up to {workload.Operations} operations or {workload.Duration.TotalSeconds:0} s"
            + (nemesis is null ? "" : $", nemesis {nemesis.Name}"));
        var running = load.RunAsync(cancellationToken);
        if (nemesis is not null)
        {
            await FaultLoopAsync(nemesis, running, new Random(workload.Seed), Note);
        }
        await running;
        Note($"workload done: {load.Recorder.Count} operations");
        if (nemesis is not null && await nemesis.HealAsync() is { } healed)
        {
            Note(healed);
        }
        var finals = await load.FinalReadsAsync(TimeSpan.FromSeconds(30));
        var history = load.Recorder.ToHistory(finals);
        // Values are unique per key, which keeps the register search near linear: long runs may check every key whole.
        var search = new LinearizabilityOptions { Budget = CheckBudget, MaxOperationsPerKey = 1_000_000 };
        var verdict = Verdict.Check(history, search, cancellation: cancellationToken);
        Note(verdict.SummaryLine);
        return new VerifyResult(nemesis?.Name ?? "none", verdict, history, actions, clock.Elapsed);
    }

    // Alternates quiet and fault until the workload ends; every injected fault is healed before returning.
    private async Task FaultLoopAsync(INemesis nemesis, Task workloadDone, Random random, Action<string> note)
    {
        while (!workloadDone.IsCompleted)
        {
            await Task.WhenAny(workloadDone, Task.Delay(Quiet));
            if (workloadDone.IsCompleted)
            {
                return;
            }
            note(await nemesis.InjectAsync(random));
            await Task.WhenAny(workloadDone, Task.Delay(Hold));
            if (await nemesis.HealAsync() is { } healed)
            {
                note(healed);
            }
        }
    }
}

/// <summary>What one run did and found.</summary>
public sealed record VerifyResult(string Nemesis, Verdict Verdict, History History, IReadOnlyList<string> Actions, TimeSpan Elapsed);
