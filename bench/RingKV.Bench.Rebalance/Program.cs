using System.Runtime.InteropServices;
using RingKV.Bench.Rebalance;

// "Add a 4th node to a loaded cluster": preload a 3-node durable cluster, measure foreground latency, add a node and
// measure again while the slots stream to it, until the coordinator reports the ring idle with 4 members.
// Writes bench/results/rebalance-join.md (or --out). See BENCHMARKS.md, "Adding a node to a loaded cluster".

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource(options.MaxRuntime);
Console.CancelKeyPress += (_, e) =>
{
    // Let the benchmark unwind and dispose the cluster (kill the processes, delete the data) instead of dying here.
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    await new JoinBenchmark(options).RunAsync(stop.Token);
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine($"stopped (Ctrl+C, SIGTERM or the {options.MaxRuntime.TotalMinutes:0}-minute bound)");
    return 130;
}
catch (BenchmarkException ex)
{
    Console.Error.WriteLine("benchmark failed: " + ex.Message);
    return 1;
}
