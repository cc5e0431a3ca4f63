using System.Diagnostics;
using RingKV.Bench.Placement;
using RingKV.Placement;

// Without arguments: measures how the number of virtual nodes per node trades balance and movement against build
// cost, to choose RingDefaults.VirtualNodesPerNode. Everything but the build time is deterministic.
// "simulate [--out <file>]": balance and movement on one join and one leave at 3-1000 nodes with the defaults,
// written to bench/results/placement-simulation.md (see Simulation).

if (args is ["simulate", .. var simulateArgs])
{
    return Simulation.Run(simulateArgs);
}

if (args.Length > 0)
{
    Console.Error.WriteLine("Usage: RingKV.Bench.Placement [simulate [--out <file>]]");
    return 2;
}

int[] vnodeCounts = [1, 8, 16, 32, 64, 128, 256, 512];
int[] nodeCounts = [3, 5, 10, 50];
const int Rf = RingDefaults.ReplicationFactor;
const int BuildRuns = 15;

// Tiered JIT promotes Build to optimized code only after repeated calls and a background delay; without
// this warm-up the first rows measure unoptimized code.
var warmUp = Stopwatch.StartNew();
while (warmUp.ElapsedMilliseconds < 1000)
{
    HashRing.Build(Ids(10), 64, Rf);
}

Console.WriteLine($"Slots {HashSlot.Count}, RF {Rf}; ratios are slot counts over the mean; move = fraction of primaries moved.");
Console.WriteLine("add: node-(N+1) joins; remove: node-N leaves; build: median of " + BuildRuns + " builds.");
Console.WriteLine();
var header = $"{"vnodes",6} {"nodes",5} | {"prim max",8} {"prim min",8} {"repl max",8} | {"build ms",8} | {"add",6} {"ideal",6} | {"remove",6} {"ideal",6}";
Console.WriteLine(header);
Console.WriteLine(new string('-', header.Length));

var chosen = new List<string>();
foreach (var vnodes in vnodeCounts)
{
    foreach (var n in nodeCounts)
    {
        var ring = HashRing.Build(Ids(n), vnodes, Rf);
        var (primMax, primMin) = Ratios(ring.PrimarySlotCounts(), (double)HashSlot.Count / n);
        var (replMax, _) = Ratios(ring.ReplicaSlotCounts(), (double)HashSlot.Count * ring.ReplicationFactor / n);
        var grown = HashRing.Build(Ids(n + 1), vnodes, Rf);
        var shrunk = HashRing.Build(Ids(n - 1), vnodes, Rf);
        var line = $"{vnodes,6} {n,5} | {primMax,8:F3} {primMin,8:F3} {replMax,8:F3} | {MedianBuildMs(n, vnodes),8:F2} | "
            + $"{HashRing.MovedPrimaryFraction(ring, grown),6:F3} {1.0 / (n + 1),6:F3} | "
            + $"{HashRing.MovedPrimaryFraction(ring, shrunk),6:F3} {1.0 / n,6:F3}";
        Console.WriteLine(line);
        if (vnodes == RingDefaults.VirtualNodesPerNode)
        {
            chosen.Add(line);
        }
    }

    Console.WriteLine();
}

// The table above is one sample per cell (the ids node-1..node-N); balance for another set of names is a
// different draw. This shows the spread over many name sets for the candidate defaults.
const int NameSets = 50;
Console.WriteLine($"Primary max/mean over {NameSets} id sets (\"s<k>-node-<i>\"): mean / worst");
Console.WriteLine($"{"vnodes",6} | {"3 nodes",13} | {"5 nodes",13} | {"10 nodes",13} | {"50 nodes",13}");
foreach (var vnodes in new[] { 64, 128, 256, 512 })
{
    var cells = nodeCounts.Select(n =>
    {
        var ratios = Enumerable.Range(0, NameSets)
            .Select(set => Ratios(HashRing.Build(Ids(n, $"s{set}-"), vnodes, Rf).PrimarySlotCounts(), (double)HashSlot.Count / n).Max)
            .ToArray();
        return $"{ratios.Average(),6:F3} {ratios.Max(),6:F3}";
    });
    Console.WriteLine($"{vnodes,6} | {string.Join(" | ", cells)}");
}

Console.WriteLine();
Console.WriteLine($"Chosen default: RingDefaults.VirtualNodesPerNode = {RingDefaults.VirtualNodesPerNode}");
foreach (var line in chosen)
{
    Console.WriteLine(line);
}

return 0;

static string[] Ids(int count, string prefix = "") => Enumerable.Range(1, count).Select(i => $"{prefix}node-{i}").ToArray();

static (double Max, double Min) Ratios(int[] counts, double mean) => (counts.Max() / mean, counts.Min() / mean);

static double MedianBuildMs(int nodes, int vnodes)
{
    var ids = Ids(nodes);
    var times = new double[BuildRuns];
    for (var i = 0; i < times.Length; i++)
    {
        var started = Stopwatch.GetTimestamp();
        HashRing.Build(ids, vnodes, Rf);
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    Array.Sort(times);
    return times[times.Length / 2];
}
