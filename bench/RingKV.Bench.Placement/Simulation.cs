using System.Diagnostics;
using System.Globalization;
using System.Text;
using RingKV.Placement;

namespace RingKV.Bench.Placement;

/// <summary>
/// The <c>simulate</c> mode: slot balance and the slots moved by one join and one leave, with the default ring
/// parameters, for 3 to 1000 nodes. No processes: only <see cref="HashRing.Build"/> and comparisons of its maps.
/// </summary>
/// <remarks>
/// A copy is a (slot, node) pair of a preference list; a copy moves when the new ring has it and the old ring does
/// not (it must be streamed to a node that lacked it). The ideal share is 1/(N+1) for a join (the newcomer's fair
/// share) and 1/N for a leave (the leaver's share). Each figure is the mean over several sets of node ids; every
/// set is "node-&lt;port&gt;" for consecutive ports from a seeded random first port, like nodes started with
/// <c>ringkv node --port</c>. The joiner takes the next port; the leaver is a seeded random member.
/// </remarks>
public static class Simulation
{
    public const string Command = "dotnet run -c Release --project bench/RingKV.Bench.Placement -- simulate";

    private const int Vnodes = RingDefaults.VirtualNodesPerNode;
    private const int Rf = RingDefaults.ReplicationFactor;
    private const int FirstPort = 5001;
    private static readonly TimeSpan s_budget = TimeSpan.FromMinutes(1);

    // (nodes, sets of node ids). Sized to stay well under a minute on a shared 2-core machine.
    private static readonly (int Nodes, int Sets)[] s_plan = [(3, 10), (10, 10), (100, 10), (1000, 10)];

    /// <returns>The process exit code.</returns>
    public static int Run(string[] args)
    {
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                output = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: simulate [--out <file>]");
                return 2;
            }
        }

        output ??= DefaultOutput();
        var started = Stopwatch.GetTimestamp();
        var rows = new List<Row>();
        foreach (var (nodes, sets) in s_plan)
        {
            var rowStarted = Stopwatch.GetTimestamp();
            var results = Enumerable.Range(0, sets).Select(set => Measure(nodes, set)).ToArray();
            rows.Add(new Row(nodes, results, Stopwatch.GetElapsedTime(rowStarted)));
            Console.Error.WriteLine($"{nodes} nodes: {sets} sets in {Stopwatch.GetElapsedTime(rowStarted).TotalSeconds:F1} s");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var report = Format(rows, elapsed);
        Console.Write(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, report);
        Console.Error.WriteLine($"Wrote {output}");

        var violations = rows.Sum(r => r.Sets.Sum(s => s.Join.PrimaryViolations + s.Join.CopyViolations
            + s.Leave.PrimaryViolations + s.Leave.CopyViolations));
        return violations == 0 ? 0 : 1;
    }

    private static SetResult Measure(int nodes, int set)
    {
        // Set 0 is the ids a cluster started on the default ports gets; the others start at a seeded random port.
        var random = new Random(set);
        var firstPort = set == 0 ? FirstPort : random.Next(1024, 65536 - nodes - 1);
        var ids = Enumerable.Range(firstPort, nodes).Select(port => $"node-{port}").ToArray();
        var joiner = $"node-{firstPort + nodes}";
        var leaver = ids[random.Next(nodes)];

        var ring = HashRing.Build(ids, Vnodes, Rf);
        var grown = HashRing.Build([.. ids, joiner], Vnodes, Rf);
        var shrunk = HashRing.Build(ids.Where(id => id != leaver).ToArray(), Vnodes, Rf);

        var primaryMean = (double)HashSlot.Count / nodes;
        var copyMean = (double)HashSlot.Count * ring.ReplicationFactor / nodes;
        var primaries = ring.PrimarySlotCounts();
        return new SetResult(
            primaries.Max() / primaryMean,
            primaries.Min() / primaryMean,
            ring.ReplicaSlotCounts().Max() / copyMean,
            UniformPrimaryMax(nodes, random) / primaryMean,
            Join(ring, grown, grown.IndexOf(joiner)),
            Leave(ring, shrunk, ring.IndexOf(leaver)));
    }

    // Reference for the primary balance: every slot picks its primary uniformly at random. Its spread comes from
    // the slot count alone (about Count/N slots per node), which no number of vnodes removes.
    private static int UniformPrimaryMax(int nodes, Random random)
    {
        var counts = new int[nodes];
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            counts[random.Next(nodes)]++;
        }

        return counts.Max();
    }

    // A join: every new primary and every new copy must be the joiner's (an index in the new ring).
    private static Movement Join(HashRing before, HashRing after, int joiner) => Compare(before, after, joiner, leaver: -1);

    // A leave: a primary may change only where the leaver (an index in the old ring) was primary, and a copy may
    // appear only in a slot the leaver held.
    private static Movement Leave(HashRing before, HashRing after, int leaver) => Compare(before, after, joiner: -1, leaver);

    private static Movement Compare(HashRing before, HashRing after, int joiner, int leaver)
    {
        var toBefore = IndexMap(after, before);
        int movedPrimaries = 0, movedCopies = 0, primaryViolations = 0, copyViolations = 0;
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var held = before.PreferenceIndexes(slot);
            var list = after.PreferenceIndexes(slot);
            if (toBefore[list[0]] != held[0])
            {
                movedPrimaries++;
                primaryViolations += (joiner >= 0 ? list[0] == joiner : held[0] == leaver) ? 0 : 1;
            }

            foreach (var node in list)
            {
                if (toBefore[node] < 0 || !held.Contains(toBefore[node]))
                {
                    movedCopies++;
                    copyViolations += (joiner >= 0 ? node == joiner : held.Contains(leaver)) ? 0 : 1;
                }
            }
        }

        return Check(before, after, movedPrimaries, movedCopies, primaryViolations, copyViolations);
    }

    // The fractions are the library's; the scan above only adds the violation counts, so the two must agree.
    private static Movement Check(HashRing before, HashRing after, int movedPrimaries, int movedCopies, int primaryViolations, int copyViolations)
    {
        var primaries = HashRing.MovedPrimaryFraction(before, after);
        var copies = HashRing.MovedReplicaFraction(before, after);
        if (movedPrimaries != Math.Round(primaries * HashSlot.Count)
            || movedCopies != Math.Round(copies * HashSlot.Count * after.ReplicationFactor))
        {
            throw new InvalidOperationException(
                $"Scan counted {movedPrimaries} primaries and {movedCopies} copies moved; HashRing reports {primaries} and {copies}.");
        }

        return new Movement(primaries, copies, primaryViolations, copyViolations);
    }

    private static int[] IndexMap(HashRing from, HashRing to) =>
        from.Nodes.Select(to.IndexOf).ToArray();

    private static string Format(List<Row> rows, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine("# Placement on join and leave (simulation)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Produced by `{Command}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {HashSlot.Count} slots, "
            + $"{Vnodes} vnodes per node (RingDefaults.VirtualNodesPerNode), RF {Rf} (RingDefaults.ReplicationFactor); "
            + $"{Environment.ProcessorCount} cores, {elapsed.TotalSeconds:F1} s in all.");
        text.AppendLine();
        text.AppendLine("Node ids are `node-<port>` for consecutive ports (set 0 from 5001, the others from a seeded random port);");
        text.AppendLine("the joiner takes the next port, the leaver is a seeded random member. Figures are means over the sets;");
        text.AppendLine("brackets hold the worst set. Violations are summed over the sets.");
        text.AppendLine();
        text.AppendLine("Balance: slots per node over the mean (primaries; copies count a node once per slot whose preference list has it).");
        text.AppendLine();
        text.AppendLine("| nodes | sets | primary max/mean | primary min/mean | copies max/mean | uniform primary max/mean | time s |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var s = row.Sets;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Nodes} | {s.Length} | {s.Average(x => x.PrimaryMax):F3} ({s.Max(x => x.PrimaryMax):F3}) "
                + $"| {s.Average(x => x.PrimaryMin):F3} ({s.Min(x => x.PrimaryMin):F3}) "
                + $"| {s.Average(x => x.CopyMax):F3} ({s.Max(x => x.CopyMax):F3}) "
                + $"| {s.Average(x => x.UniformMax):F3} ({s.Max(x => x.UniformMax):F3}) | {row.Time.TotalSeconds:F1} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"\"Uniform\" is a reference, not the ring: each of the {HashSlot.Count} slots given a primary uniformly at random.");
        text.AppendLine("Its spread comes from the slot count alone (Count/N slots per node on average) and no vnode count removes it;");
        text.AppendLine("the gap between the ring's primary max/mean and this column is what more vnodes could still remove.");
        text.AppendLine();
        text.AppendLine("Movement: share of slots whose primary changed, and of the new ring's copies the old ring lacked.");
        text.AppendLine("Violations: a join moved a primary or copy to a node other than the joiner; a leave changed a primary");
        text.AppendLine("the leaver did not hold, or added a copy to a slot the leaver did not hold (primaries / copies).");
        text.AppendLine();
        text.AppendLine("| nodes | event | primaries moved | copies moved | ideal | primaries/ideal | copies/ideal | violations |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            AppendMovement(text, row.Nodes, "join", 1.0 / (row.Nodes + 1), row.Sets.Select(s => s.Join).ToArray());
            AppendMovement(text, row.Nodes, "leave", 1.0 / row.Nodes, row.Sets.Select(s => s.Leave).ToArray());
        }

        if (rows.Any(r => r.Nodes - 1 < Rf))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"With {Rf} or fewer nodes every node holds every slot, so a leave leaves fewer nodes than RF: the new ring's");
            text.AppendLine("preference lists are shorter, nothing needs streaming, and the copies moved are 0 rather than 1/N.");
        }

        if (elapsed > s_budget)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Warning: the run took {elapsed.TotalSeconds:F0} s, over the {s_budget.TotalSeconds:F0} s budget; reduce the sets.");
        }

        return text.ToString();
    }

    private static void AppendMovement(StringBuilder text, int nodes, string kind, double ideal, Movement[] sets)
    {
        var primaries = sets.Average(m => m.Primaries);
        var copies = sets.Average(m => m.Copies);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {nodes} | {kind} | {primaries:F4} | {copies:F4} | {ideal:F4} "
            + $"| {primaries / ideal:F3} ({sets.Max(m => m.Primaries) / ideal:F3}) "
            + $"| {copies / ideal:F3} ({sets.Max(m => m.Copies) / ideal:F3}) "
            + $"| {sets.Sum(m => m.PrimaryViolations)} / {sets.Sum(m => m.CopyViolations)} |");
    }

    // bench/results of the repository the command runs in (found from the working directory, then the binary).
    private static string DefaultOutput()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RingKV.sln")))
                {
                    return Path.Combine(dir.FullName, "bench", "results", "placement-simulation.md");
                }
            }
        }

        return "placement-simulation.md";
    }

    private sealed record Movement(double Primaries, double Copies, int PrimaryViolations, int CopyViolations);

    private sealed record SetResult(double PrimaryMax, double PrimaryMin, double CopyMax, double UniformMax, Movement Join, Movement Leave);

    private sealed record Row(int Nodes, SetResult[] Sets, TimeSpan Time);
}
