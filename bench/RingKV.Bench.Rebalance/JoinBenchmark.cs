using System.Diagnostics;
using System.Globalization;
using System.Text;
using RingKV.Cli.Local;
using RingKV.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;

namespace RingKV.Bench.Rebalance;

/// <summary>
/// The run itself: a 3-node cluster (RocksDB, fsync everysec, heartbeat 250 ms, failure timeout 10 s) in a temp
/// directory, a preload by MSET, a foreground window before the join, the join with the same load running, the
/// same load while the old holders drop the copies they lost, and a window after it. The cluster is disposed
/// (every process killed, the directory deleted) however the run ends; on a failure the processes' output is
/// saved to a temp file first.
/// </summary>
internal sealed class JoinBenchmark(BenchOptions options)
{
    private const int BatchSize = 100;
    private const int BatchesInFlight = 8;
    private const double MiB = 1 << 20;
    private const string Title = "# A 4th node joins a loaded 3-node cluster";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StableTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DropTimeout = TimeSpan.FromMinutes(10);

    private readonly Stopwatch _total = new();

    public async Task RunAsync(CancellationToken stop)
    {
        _total.Start();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ringkv-bench-rebalance-" + Guid.NewGuid().ToString("N")[..8]);
        var clusterOptions = new LocalClusterOptions
        {
            Nodes = 3,
            DataDirectory = dataDirectory,
            DeleteDataOnDispose = true,
            FailureTimeout = TimeSpan.FromSeconds(10),
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            NodeArguments = ["--storage", "rocksdb", "--fsync", "everysec", "--rebalance-rate", options.RateMb.ToString(CultureInfo.InvariantCulture)],
        };
        Log($"starting a coordinator and 3 nodes in {dataDirectory} (rebalance rate {RateText(options.RateMb)})");
        LocalCluster? cluster = null;
        try
        {
            cluster = await LocalCluster.StartAsync(clusterOptions);
            Log($"coordinator and nodes serve (load average {LoadAverage()})");
            await using var client = await RingKvClient.ConnectAsync([cluster.CoordinatorEndpoint, .. cluster.Nodes.Select(EndpointOf)]);
            await MeasureAsync(cluster, client, stop);
        }
        catch (Exception ex) when (ex is BenchmarkException or RingKvException or InvalidOperationException or FormatException)
        {
            // A process that did not start puts its output in the message (ManagedProcess); the others' is saved here.
            throw new BenchmarkException(cluster is null ? ex.Message : $"{ex.Message}\nprocess output: {SaveLogs(cluster)}", ex);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            if (Directory.Exists(dataDirectory))
            {
                try
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
                catch (IOException ex)
                {
                    Console.Error.WriteLine($"could not delete {dataDirectory}: {ex.Message}");
                }
            }
            Log($"cluster stopped; total runtime {_total.Elapsed.TotalSeconds:F0} s");
        }
    }

    private async Task MeasureAsync(LocalCluster cluster, RingKvClient client, CancellationToken stop)
    {
        var loadBefore = LoadAverage();
        await WaitForStableRingAsync(cluster, client, 3, stop);
        Log("ring stable with 3 members");

        var preload = await PreloadAsync(cluster, client, stop);
        Log($"preloaded {options.Keys:N0} keys of {options.ValueSize} B in {preload.TotalSeconds:F1} s ({options.Keys / preload.TotalSeconds:N0} keys/s)");

        var load = new LoadGenerator(client, options.Keys, options.ValueSize, options.Clients);
        using (var warm = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            warm.CancelAfter(WarmUp);
            await load.RunAsync(warm.Token);
        }
        stop.ThrowIfCancellationRequested();
        var before = await WindowAsync(load, "before the join (3 nodes)", stop);

        var previous = await StatusAsync(cluster, client);
        Log($"adding node-4 (load running: {options.Clients} clients)");
        var join = await JoinAsync(cluster, client, load, previous.Last?.TransitionId, stop);
        Log($"ring idle with 4 members after {join.Duration.TotalSeconds:F1} s");

        await WaitForStableRingAsync(cluster, client, 4, stop);
        var drop = await DropAsync(cluster, client, load, stop);
        Log($"old copies dropped {drop.Duration.TotalSeconds:F1} s after the ring became idle; keys per node: {string.Join(", ", drop.PerNode)}");
        Log($"  {Describe(drop.During)}");
        var after = await WindowAsync(load, "after the join (4 nodes)", stop);

        var warnings = LogFindings.Collect([cluster.Coordinator, .. cluster.Nodes]);
        var report = BuildReport(preload, before, join, drop, after, warnings, $"{loadBefore} at the start, {LoadAverage()} at the end");
        Console.WriteLine();
        Console.WriteLine(report);
        var path = Path.Combine(RepositoryRoot(), options.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, report, CancellationToken.None);
        Log($"wrote {path}");
        if (options.Logs is { } logs)
        {
            Log($"process output written to {SaveLogs(cluster, logs)}");
        }
    }

    private async Task<TimeSpan> PreloadAsync(LocalCluster cluster, RingKvClient client, CancellationToken stop)
    {
        var endpoints = cluster.Nodes.Select(EndpointOf).ToArray();
        var value = new string('v', options.ValueSize);
        var batches = (options.Keys + BatchSize - 1) / BatchSize;
        var next = -1;
        var done = 0;
        var watch = Stopwatch.StartNew();
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) is var batch && batch < batches)
            {
                stop.ThrowIfCancellationRequested();
                var first = batch * BatchSize;
                var count = Math.Min(BatchSize, options.Keys - first);
                var command = new string[1 + 2 * count];
                command[0] = "MSET";
                for (var i = 0; i < count; i++)
                {
                    command[1 + 2 * i] = "bench:" + (first + i).ToString(CultureInfo.InvariantCulture);
                    command[2 + 2 * i] = value;
                }
                // Spread over the nodes: each scatters its batch's pairs to their primaries.
                var reply = await client.ExecuteOnAsync(endpoints[batch % endpoints.Length], command);
                if (reply.IsError)
                {
                    throw new BenchmarkException($"preload MSET of batch {batch} on {endpoints[batch % endpoints.Length]} failed: {reply.AsString()}");
                }
                if (Interlocked.Increment(ref done) % (batches / 10 + 1) == 0)
                {
                    Log($"  preload {100.0 * done / batches:F0}% ({watch.Elapsed.TotalSeconds:F0} s)");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, BatchesInFlight).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        return watch.Elapsed;
    }

    private async Task<LoadResult> WindowAsync(LoadGenerator load, string name, CancellationToken stop)
    {
        Log($"measuring {options.Window.TotalSeconds:0} s {name}");
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stop);
        window.CancelAfter(options.Window);
        var result = await load.RunAsync(window.Token);
        stop.ThrowIfCancellationRequested();
        Log($"  {Describe(result)}");
        return result;
    }

    private async Task<JoinResult> JoinAsync(LocalCluster cluster, RingKvClient client, LoadGenerator load, long? previousTransition,
        CancellationToken stop)
    {
        using var moving = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var loadTask = load.RunAsync(moving.Token);
        var watch = Stopwatch.StartNew();
        try
        {
            var node = await cluster.AddNodeAsync();
            Log($"  {node.Name} serves on port {node.Port} after {watch.Elapsed.TotalSeconds:F1} s");
            var lastProgress = TimeSpan.Zero;
            var lastCompleted = load.Completed;
            var maxState = new Dictionary<string, int>(StringComparer.Ordinal);
            while (true)
            {
                var status = await StatusAsync(cluster, client);
                maxState[status.State] = maxState.GetValueOrDefault(status.State) + 1;
                if (status.State == "idle" && status.Members.Length == 4 && status.Members.Contains(node.Name))
                {
                    var duration = watch.Elapsed;
                    await moving.CancelAsync();
                    var during = await loadTask;
                    stop.ThrowIfCancellationRequested();
                    var summary = status.Last;
                    if (summary is null || summary.TransitionId == previousTransition)
                    {
                        throw new BenchmarkException("the ring is idle with 4 members but REBALANCE STATUS has no summary of the join's transition");
                    }
                    if (summary.Aborted)
                    {
                        throw new BenchmarkException($"transition {summary.TransitionId} was aborted");
                    }
                    Log($"  transition {summary.TransitionId}: {summary.DurationSeconds:F1} s, {summary.SlotsMoved} slots, {summary.KeysMoved:N0} keys, "
                        + $"{summary.BytesMoved / MiB:F1} MiB; states seen: {string.Join(", ", maxState.Select(s => $"{s.Key} x{s.Value}"))}");
                    Log($"  {Describe(during)}");
                    return new JoinResult(duration, summary, during);
                }
                if (watch.Elapsed > options.JoinTimeout)
                {
                    throw new BenchmarkException($"the join did not finish within {options.JoinTimeout.TotalSeconds:0} s; last status: {status.ToJson()}");
                }
                if (watch.Elapsed - lastProgress >= ProgressInterval)
                {
                    var completed = load.Completed;
                    var rate = (completed - lastCompleted) / (watch.Elapsed - lastProgress).TotalSeconds;
                    Log($"  {watch.Elapsed.TotalSeconds,5:F0} s {status.State,-9} slots {status.SlotsCopied}/{status.SlotsToCopy} copied, "
                        + $"{status.KeysMoved:N0} keys, {status.BytesMoved / MiB:F1} MiB moved; foreground {rate:N0} ops/s");
                    lastProgress = watch.Elapsed;
                    lastCompleted = completed;
                }
                await Task.Delay(PollInterval, stop);
            }
        }
        finally
        {
            await moving.CancelAsync();
            try
            {
                await loadTask;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Console.Error.WriteLine($"foreground load failed: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// Runs the load until the old holders have deleted the copies they lost: each node's live count
    /// (<c>RKV.LOCALCOUNT</c>, O(1)) sums to 3 × keys, since the load only overwrites preloaded keys.
    /// </summary>
    private async Task<DropResult> DropAsync(LocalCluster cluster, RingKvClient client, LoadGenerator load, CancellationToken stop)
    {
        Log("waiting for the old holders to drop the copies they lost (load running)");
        var expected = 3L * options.Keys;
        using var dropping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var loadTask = load.RunAsync(dropping.Token);
        var watch = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        try
        {
            while (true)
            {
                var counts = new List<string>();
                long total = 0;
                foreach (var node in cluster.Nodes)
                {
                    var reply = await client.ExecuteOnAsync(EndpointOf(node), "RKV.LOCALCOUNT");
                    if (reply.IsError)
                    {
                        throw new BenchmarkException($"RKV.LOCALCOUNT on {node.Name} answered {reply}");
                    }
                    total += reply.Integer;
                    counts.Add($"{node.Name} {reply.Integer:N0}");
                }
                if (total == expected)
                {
                    var duration = watch.Elapsed;
                    await dropping.CancelAsync();
                    var during = await loadTask;
                    stop.ThrowIfCancellationRequested();
                    return new DropResult(duration, counts, during);
                }
                if (watch.Elapsed > DropTimeout)
                {
                    throw new BenchmarkException($"the old copies were not dropped within {DropTimeout.TotalMinutes:0} minutes: "
                        + $"{total:N0} live records, {expected:N0} expected ({string.Join(", ", counts)})");
                }
                if (watch.Elapsed - lastProgress >= ProgressInterval)
                {
                    Log($"  {watch.Elapsed.TotalSeconds,5:F0} s {total:N0} live records of {expected:N0} ({string.Join(", ", counts)})");
                    lastProgress = watch.Elapsed;
                }
                await Task.Delay(PollInterval, stop);
            }
        }
        finally
        {
            await dropping.CancelAsync();
            try
            {
                await loadTask;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Console.Error.WriteLine($"foreground load failed: {ex.Message}");
            }
        }
    }

    /// <summary>Polls the coordinator's map until no transition runs and exactly <paramref name="members"/> nodes are members.</summary>
    private static async Task WaitForStableRingAsync(LocalCluster cluster, RingKvClient client, int members, CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        var state = "nothing observed";
        while (watch.Elapsed < StableTimeout)
        {
            var reply = await client.ExecuteOnAsync(cluster.CoordinatorEndpoint, "CLUSTER_MAP");
            if (!reply.IsError && reply.AsString() is { } json)
            {
                var map = ClusterMap.FromJson(json);
                state = $"epoch {map.Epoch}, members {string.Join(",", map.Members)}, transition {(map.Transition is null ? "none" : "running")}";
                if (map.Transition is null && map.Members.Length == members && cluster.Nodes.All(n => map.Members.Contains(n.Name)))
                {
                    await client.RefreshMapAsync();
                    return;
                }
            }
            else
            {
                state = "CLUSTER_MAP answered " + reply;
            }
            await Task.Delay(PollInterval, stop);
        }
        throw new BenchmarkException($"the ring did not become stable with {members} members within {StableTimeout.TotalSeconds:0} s ({state})");
    }

    private static async Task<RebalanceReport> StatusAsync(LocalCluster cluster, RingKvClient client)
    {
        var reply = await client.ExecuteOnAsync(cluster.CoordinatorEndpoint, "REBALANCE", "STATUS");
        return reply.IsError || reply.AsString() is not { } json
            ? throw new BenchmarkException("REBALANCE STATUS answered " + reply)
            : RebalanceReport.FromJson(json);
    }

    private string BuildReport(TimeSpan preload, LoadResult before, JoinResult join, DropResult drop, LoadResult after, IReadOnlyList<LogFindings> findings,
        string loadAverages)
    {
        var summary = join.Summary;
        var mibPerSecond = summary.DurationSeconds > 0 ? summary.BytesMoved / MiB / summary.DurationSeconds : double.NaN;
        var copiesMoved = (double)summary.KeysMoved / (3.0 * options.Keys);
        var text = new StringBuilder();
        var command = "dotnet run -c Release --project bench/RingKV.Bench.Rebalance" + (options.Arguments.Count > 0 ? " -- " + string.Join(' ', options.Arguments) : "");
        text.AppendLine(Title);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`{command}` — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.Keys:N0} keys, "
            + $"{options.ValueSize} B values, rebalance rate {RateText(options.RateMb)}, {options.Clients} foreground clients (GET 50% / SET 50%); "
            + $"load average (1/5/15 min) {loadAverages}");
        text.AppendLine();
        text.AppendLine("| keys | preload s | preload keys/s | join s | transition s | slots moved | keys moved | MiB moved | MiB/s | copies moved | drop s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {options.Keys:N0} | {preload.TotalSeconds:F1} | {options.Keys / preload.TotalSeconds:N0} | {join.Duration.TotalSeconds:F1} | "
            + $"{summary.DurationSeconds:F1} | {summary.SlotsMoved} | {summary.KeysMoved:N0} | {summary.BytesMoved / MiB:F1} | {mibPerSecond:F1} | {copiesMoved:P1} | {drop.Duration.TotalSeconds:F1} |");
        text.AppendLine();
        text.AppendLine("| foreground | seconds | ops | ops/s | p50 ms | p99 ms | p99.9 ms | errors | GET nil |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, result) in new[] { ("before (3 nodes)", before), ("during the move", join.During), ("dropping old copies", drop.During),
                     ("after (4 nodes)", after) })
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {result.Elapsed.TotalSeconds:F1} | {result.Operations:N0} | {result.OpsPerSecond:N0} | {result.PercentileMs(0.5):F2} | "
                + $"{result.PercentileMs(0.99):F2} | {result.PercentileMs(0.999):F2} | {result.Errors} | {result.Misses} |");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"p99 during / before: {join.During.PercentileMs(0.99) / before.PercentileMs(0.99):F2}x; "
            + $"ops/s during / before: {join.During.OpsPerSecond / before.OpsPerSecond:F2}x.");
        text.AppendLine();
        text.AppendLine("join s: from starting node-4 until REBALANCE STATUS is idle with 4 members; transition s, keys and bytes: the "
            + "coordinator's summary of the transition (`last`). copies moved = keys moved / (3 × keys). "
            + "drop s: from then until the old holders have deleted the copies they lost (the sum of `RKV.LOCALCOUNT` over the 4 nodes is "
            + $"3 × keys; keys per node then: {string.Join(", ", drop.PerNode)}). \"during the move\" spans join s, \"dropping old copies\" spans drop s.");
        var first = join.During.FirstError ?? before.FirstError ?? after.FirstError;
        if (first is not null)
        {
            text.AppendLine();
            text.AppendLine("First foreground error: `" + first.ReplaceLineEndings(" ") + "`");
        }
        text.AppendLine();
        text.AppendLine("Node and coordinator log lines at warn level or above (kept output of each process): "
            + string.Join(", ", findings.Select(f => $"{f.Process} {f.Count}")) + ".");
        foreach (var line in findings.SelectMany(f => f.Samples.Select(s => $"{f.Process}: {s}")).Take(12))
        {
            text.AppendLine("- `" + line.Replace('`', '\'') + "`");
        }
        return text.ToString();
    }

    private static string Describe(LoadResult result) =>
        $"{result.Operations:N0} ops in {result.Elapsed.TotalSeconds:F1} s = {result.OpsPerSecond:N0} ops/s, p50 {result.PercentileMs(0.5):F2} ms, "
        + $"p99 {result.PercentileMs(0.99):F2} ms, p99.9 {result.PercentileMs(0.999):F2} ms, {result.Errors} errors, {result.Misses} GET nil";

    private static string RateText(double rateMb) => rateMb == 0 ? "unlimited" : $"{rateMb:0.##} MiB/s";

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to tell a busy machine from a slow program; "n/a" elsewhere.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join('/', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string EndpointOf(ManagedProcess process) => $"127.0.0.1:{process.Port}";

    /// <summary>The processes' kept output, written to a temp file (the data directory is deleted on dispose).</summary>
    private static string SaveLogs(LocalCluster cluster, string? path = null)
    {
        path ??= Path.Combine(Path.GetTempPath(), $"ringkv-bench-rebalance-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        var text = new StringBuilder();
        foreach (var process in new[] { cluster.Coordinator }.Concat(cluster.Nodes))
        {
            text.Append("---------- ").Append(process.Name).Append(" (port ").Append(process.Port).AppendLine(") ----------");
            text.AppendLine(process.Output);
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The directory holding RingKV.sln above the working directory or this program; else the working directory.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RingKV.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }

    private void Log(string message) => Console.WriteLine($"[{_total.Elapsed.TotalSeconds,6:F1} s] {message}");

    private sealed record DropResult(TimeSpan Duration, IReadOnlyList<string> PerNode, LoadResult During);

    private sealed record JoinResult(TimeSpan Duration, RebalanceReport.Summary Summary, LoadResult During);
}

/// <summary>A failure of the benchmark itself (the cluster did not do what the run waits for).</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException(string message) : base(message)
    {
    }

    public BenchmarkException(string message, Exception inner) : base(message, inner)
    {
    }

    public BenchmarkException()
    {
    }
}

/// <summary>How many of a process' kept output lines are at warn level or above, with a few distinct samples.</summary>
internal sealed record LogFindings(string Process, int Count, IReadOnlyList<string> Samples)
{
    private static readonly string[] Levels = [" warn: ", " fail: ", " crit: "];

    public static IReadOnlyList<LogFindings> Collect(IEnumerable<ManagedProcess> processes) =>
    [
        .. processes.Select(p =>
        {
            var lines = p.Output.Split('\n').Where(l => Levels.Any(level => l.Contains(level, StringComparison.Ordinal))).ToList();
            // Strip the timestamp so that repeats of one message collapse into one sample.
            var samples = lines.Select(l => l.Length > 13 ? l[13..] : l).Distinct(StringComparer.Ordinal).Take(4).ToList();
            return new LogFindings(p.Name, lines.Count, samples);
        }),
    ];
}
