using System.Text;
using RingKV.Cli.Local;
using RingKV.Client;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.Net;
using RingKV.Protocol;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// A real cluster for one test (or one test class): a coordinator and nodes as child processes on free ports
/// (<see cref="LocalCluster"/>), a connected <see cref="RingKvClient"/>, and the views tests assert on.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> returns only once every node has registered and every node and the client hold the
/// coordinator's current map, so the first write of a test already replicates to all nodes.
/// Disposing kills every process (SIGKILL) and deletes the data directory. Wrap a test body in
/// <see cref="VerifyAsync"/> so that any failure carries the processes' output.
/// Not thread-safe for restarts; the query helpers may be called concurrently.
/// </remarks>
public sealed class ClusterFixture : IAsyncDisposable
{
    /// <summary>Failure timeout for tests that wait for DOWN (the default 10 s would make the suite crawl).</summary>
    public static readonly TimeSpan FastFailureTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    // Tests that never wait for DOWN keep a long failure timeout: on a busy 2-core machine a node that is
    // falsely declared DOWN is skipped by writes, which would turn "3 copies" checks flaky.
    private static readonly TimeSpan DefaultFailureTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    // Output of processes that a restart replaced: a restart must not erase the evidence of what came before.
    private readonly List<string> _replacedOutput = [];

    private ClusterFixture(LocalCluster cluster, LocalClusterOptions options, RingKvClient client)
    {
        Cluster = cluster;
        Options = options;
        Client = client;
    }

    public LocalCluster Cluster { get; }

    public LocalClusterOptions Options { get; }

    /// <summary>Seeded with the coordinator and every node; default consistency (QUORUM).</summary>
    public RingKvClient Client { get; }

    public IReadOnlyList<ManagedProcess> Nodes => Cluster.Nodes;

    public TimeSpan FailureTimeout => Options.FailureTimeout;

    /// <summary>The first coordinator still running (any member of a group serves the views; writes are forwarded).</summary>
    public string CoordinatorEndpoint => (Cluster.Coordinators.FirstOrDefault(c => !c.HasExited) ?? Cluster.Coordinator).Endpoint;

    /// <summary>How long a killed node may take to show DOWN: twice the failure timeout plus scheduling slack.</summary>
    public TimeSpan DownDeadline => FailureTimeout * 2 + TimeSpan.FromSeconds(2);

    /// <summary>Starts a coordinator (or a group of <paramref name="coordinators"/>) and <paramref name="nodes"/> nodes and waits until they agree on the map.</summary>
    /// <param name="nodeArguments">Appended to every node's command line, restarts included (<c>--fsync always</c>).</param>
    /// <param name="replicationFactor">The coordinator's N (copies of every key).</param>
    /// <exception cref="XunitException">The cluster did not start or converge; the message holds its output.</exception>
    public static async Task<ClusterFixture> StartAsync(int nodes = 3, TimeSpan? failureTimeout = null,
        IReadOnlyList<string>? nodeArguments = null, int replicationFactor = 3, IReadOnlyList<string>? coordinatorArguments = null,
        string? password = null, string? clusterSecret = null, RingKV.Net.TlsSettings? tls = null, int coordinators = 1)
    {
        var options = new LocalClusterOptions
        {
            Nodes = nodes,
            Coordinators = coordinators,
            DataDirectory = Path.Combine(Path.GetTempPath(), "ringkv-it-" + Guid.NewGuid().ToString("N")[..12]),
            FailureTimeout = failureTimeout ?? DefaultFailureTimeout,
            HeartbeatInterval = HeartbeatInterval,
            NodeArguments = nodeArguments ?? [],
            CoordinatorArguments = coordinatorArguments ?? [],
            ReplicationFactor = replicationFactor,
            Password = password,
            ClusterSecret = clusterSecret,
            Tls = tls,
        };
        LocalCluster cluster;
        try
        {
            cluster = await LocalCluster.StartAsync(options);
        }
        catch
        {
            DeleteDirectory(options.DataDirectory);
            throw;
        }
        RingKvClient client;
        try
        {
            client = await RingKvClient.ConnectAsync([.. cluster.Coordinators.Select(c => c.Endpoint), .. cluster.Nodes.Select(EndpointOf)], new RingKvClientOptions { Password = password, Tls = tls });
        }
        catch (Exception ex)
        {
            var logs = string.Concat(cluster.Coordinators.Select(Describe)) + string.Concat(cluster.Nodes.Select(Describe));
            await cluster.DisposeAsync();
            DeleteDirectory(options.DataDirectory);
            throw new XunitException($"the client could not connect: {ex.Message}\n{logs}", ex);
        }
        var fixture = new ClusterFixture(cluster, options, client);
        try
        {
            await fixture.VerifyAsync(fixture.WaitForConvergenceAsync);
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
        return fixture;
    }

    public static string EndpointOf(ManagedProcess node) => $"127.0.0.1:{node.Port}";

    public string NodeEndpoint(int index) => EndpointOf(Nodes[index]);

    /// <summary>Runs a test body; any failure is rethrown with the output of every process appended.</summary>
    public async Task VerifyAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception ex)
        {
            throw new XunitException($"{ex.GetType().Name}: {ex.Message}\n{DumpLogs()}", ex);
        }
    }

    /// <summary>The output of the coordinator and every node (including processes replaced by restarts).</summary>
    public string DumpLogs()
    {
        var text = new StringBuilder("\n==================== cluster logs ====================\n");
        lock (_replacedOutput)
        {
            foreach (var replaced in _replacedOutput)
            {
                text.Append(replaced);
            }
        }
        foreach (var coordinator in Cluster.Coordinators)
        {
            text.Append(Describe(coordinator));
        }
        foreach (var node in Nodes)
        {
            text.Append(Describe(node));
        }
        return text.ToString();
    }

    private static string Describe(ManagedProcess process) => Describe(process, "");

    private static string Describe(ManagedProcess process, string note)
    {
        string state;
        try
        {
            state = process.HasExited ? "exited" : "running";
        }
        catch (InvalidOperationException)
        {
            state = "disposed";
        }
        return $"---------- {process.Name} (port {process.Port}, {state}{note}) ----------\n{process.Output}\n";
    }

    /// <summary>A dedicated pipelined connection to one node (callers dispose it).</summary>
    public static Task<RespConnection> ConnectAsync(ManagedProcess node) =>
        RespConnection.ConnectAsync("127.0.0.1", node.Port, ConnectTimeout);

    /// <summary>LIST_NODES as the coordinator answers it.</summary>
    /// <exception cref="RingKvException">The coordinator is unreachable or answered an error.</exception>
    public async Task<IReadOnlyList<NodeStatus>> ListNodesAsync()
    {
        var reply = await Client.ExecuteOnAsync(CoordinatorEndpoint, "LIST_NODES");
        if (reply.IsError)
        {
            throw new RingKvException("LIST_NODES failed: " + reply.AsString());
        }
        return [.. reply.Items.Select(item => NodeStatus.Parse(item.AsString() ?? ""))];
    }

    /// <summary>
    /// How many running nodes hold <paramref name="expected"/> for <paramref name="key"/> in their local store
    /// (RKV.LOCALGET: no routing, no quorum).
    /// </summary>
    public async Task<int> LocalCopiesAsync(string key, string expected)
    {
        var answers = await Task.WhenAll(Nodes.Where(n => !n.HasExited)
            .Select(node => Client.ExecuteOnAsync(EndpointOf(node), "RKV.LOCALGET", key)));
        return answers.Count(reply => !reply.IsError && reply.AsString() == expected);
    }

    /// <summary>RKV.LOCALGET on <paramref name="node"/>: its own live copy, null when it holds none (or a tombstone).</summary>
    /// <exception cref="RingKvException">The node is unreachable or answered an error.</exception>
    public async Task<string?> LocalGetAsync(ManagedProcess node, string key)
    {
        var reply = await Client.ExecuteOnAsync(EndpointOf(node), "RKV.LOCALGET", key);
        return reply.IsError ? throw new RingKvException($"RKV.LOCALGET {key} on {node.Name}: {reply.AsString()}") : reply.AsString();
    }

    /// <summary>Polls RKV.LOCALGET until <paramref name="node"/> holds every pair (the third copy of a write may land late).</summary>
    public Task<TimeSpan> WaitUntilHeldAsync(ManagedProcess node, IReadOnlyDictionary<string, string> pairs, TimeSpan timeout)
    {
        var missing = pairs.Keys.ToList();
        return Eventually.TrueAsync(async () =>
            {
                var stillMissing = new List<string>();
                foreach (var batch in missing.Chunk(100))
                {
                    var held = await Task.WhenAll(batch.Select(async key => await LocalGetAsync(node, key) == pairs[key]));
                    stillMissing.AddRange(batch.Where((_, i) => !held[i]));
                }
                missing = stillMissing;
                return missing.Count == 0;
            },
            timeout, $"{node.Name} holds all {pairs.Count} values (RKV.LOCALGET)", () => KeyValues.FirstLines(missing));
    }

    /// <summary>An integer reply of a command sent to <paramref name="node"/> itself (RKV.LOCALCOUNT, DBSIZE).</summary>
    /// <exception cref="RingKvException">The node is unreachable or answered something else than an integer.</exception>
    public async Task<long> IntegerOnAsync(ManagedProcess node, params string[] command)
    {
        var reply = await Client.ExecuteOnAsync(EndpointOf(node), command);
        return reply.Type == RespType.Integer
            ? reply.Integer
            : throw new RingKvException($"{string.Join(' ', command)} on {node.Name} answered {reply}");
    }

    /// <summary>The hinted-handoff counters <paramref name="node"/> reports in INFO replication.</summary>
    /// <exception cref="RingKvException">The node is unreachable or answered an error.</exception>
    public async Task<HintCounters> HintsAsync(ManagedProcess node)
    {
        var reply = await Client.ExecuteOnAsync(EndpointOf(node), "INFO", "replication");
        return reply.IsError
            ? throw new RingKvException($"INFO replication on {node.Name}: {reply.AsString()}")
            : HintCounters.Parse(reply.AsString() ?? "");
    }

    /// <summary>Polls INFO replication until every running node reports hints_pending 0.</summary>
    public Task<TimeSpan> WaitForHintsDeliveredAsync(TimeSpan timeout)
    {
        var state = "nothing observed yet";
        return Eventually.TrueAsync(async () =>
            {
                var running = Nodes.Where(n => !n.HasExited).ToList();
                var counters = await Task.WhenAll(running.Select(HintsAsync));
                state = string.Join("; ", running.Zip(counters, (node, c) => $"{node.Name}: {c}"));
                return counters.All(c => c.Pending == 0);
            },
            timeout, "every running node reports hints_pending:0", () => state);
    }

    /// <summary>Polls LIST_NODES until <paramref name="node"/> shows <paramref name="state"/>; returns how long that took.</summary>
    public Task<TimeSpan> WaitForStateAsync(ManagedProcess node, string state, TimeSpan timeout)
    {
        IReadOnlyList<NodeStatus> last = [];
        return Eventually.TrueAsync(async () =>
            {
                last = await ListNodesAsync();
                return last.Any(n => n.Id == node.Name && n.State == state);
            },
            timeout, $"LIST_NODES shows {node.Name} {state}", () => string.Join("; ", last));
    }

    /// <summary>
    /// Waits until the coordinator lists every node, the running ones UP, and every running node and the client
    /// hold the coordinator's map epoch.
    /// </summary>
    public Task WaitForConvergenceAsync()
    {
        var state = "nothing observed yet";
        return Eventually.TrueAsync(async () =>
            {
                var coordinatorMap = await MapOfAsync(CoordinatorEndpoint);
                var running = Nodes.Where(n => !n.HasExited).ToList();
                var views = new List<string> { $"coordinator epoch {coordinatorMap.Epoch}: {Summary(coordinatorMap)}" };
                // Converged also means the ring is stable: every node a member, no transition copying slots.
                var ok = coordinatorMap.Transition is null && Nodes.All(n => coordinatorMap.Members.Contains(n.Name))
                    && Nodes.All(n => coordinatorMap.Find(n.Name) is { } entry && (n.HasExited || (entry.IsUp && entry.Port == n.Port)));
                foreach (var node in running)
                {
                    var map = await MapOfAsync(EndpointOf(node));
                    views.Add($"{node.Name} epoch {map.Epoch}");
                    ok &= map.Epoch == coordinatorMap.Epoch;
                }
                await Client.RefreshMapAsync();
                views.Add($"client epoch {Client.Map.Epoch}");
                ok &= Client.Map.Epoch == coordinatorMap.Epoch;
                state = string.Join("; ", views);
                return ok;
            },
            ConvergenceTimeout, "the coordinator lists every node and all running nodes and the client hold its map", () => state);
    }

    /// <summary>The coordinator's current map.</summary>
    public Task<ClusterMap> CoordinatorMapAsync() => MapOfAsync(CoordinatorEndpoint);

    /// <summary>REBALANCE STATUS as the coordinator answers it.</summary>
    public async Task<RebalanceReport> RebalanceStatusAsync()
    {
        var reply = await Client.ExecuteOnAsync(CoordinatorEndpoint, "REBALANCE", "STATUS");
        return reply.IsError ? throw new RingKvException("REBALANCE STATUS: " + reply.AsString()) : RebalanceReport.FromJson(reply.AsString()!);
    }

    /// <summary>
    /// Polls until no transition runs, the ring is exactly <paramref name="members"/>, and every running node that
    /// is in the map holds the coordinator's epoch. Returns the last status (with the finished transition's summary).
    /// </summary>
    public async Task<RebalanceReport> WaitForStableRingAsync(IEnumerable<string> members, TimeSpan timeout)
    {
        var wanted = members.Order(StringComparer.Ordinal).ToArray();
        var state = "nothing observed yet";
        RebalanceReport? last = null;
        await Eventually.TrueAsync(async () =>
            {
                last = await RebalanceStatusAsync();
                var map = await CoordinatorMapAsync();
                state = $"epoch {map.Epoch}, state {last.State}, members {string.Join(",", map.Members)}, target {string.Join(",", last.Target ?? [])}, "
                    + $"copied {last.SlotsCopied}/{last.SlotsToCopy} slots, {last.KeysMoved} keys";
                if (last.State != "idle" || !map.Members.SequenceEqual(wanted))
                {
                    return false;
                }
                foreach (var node in Nodes.Where(n => !n.HasExited && map.Find(n.Name) is not null))
                {
                    if ((await MapOfAsync(EndpointOf(node))).Epoch != map.Epoch)
                    {
                        return false;
                    }
                }
                await Client.RefreshMapAsync();
                return true;
            },
            timeout, $"the ring is {string.Join(",", wanted)} with no transition running", () => state);
        return last!;
    }

    /// <summary>
    /// Writes <c>{prefix}{i}</c> = <c>v{i}</c> for i below <paramref name="count"/>: MSETs of 100 pairs (each node
    /// scatters its pairs to their primaries), several in flight, spread over the nodes.
    /// </summary>
    public async Task<Dictionary<string, string>> PreloadAsync(string prefix, int count, int inFlight = 8)
    {
        var pairs = Enumerable.Range(0, count).ToDictionary(i => $"{prefix}{i}", i => $"v{i}");
        using var gate = new SemaphoreSlim(inFlight);
        var running = Nodes.Where(n => !n.HasExited).Select(EndpointOf).ToArray();
        await Task.WhenAll(pairs.Chunk(100).Select(async (batch, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var reply = await Client.ExecuteOnAsync(running[index % running.Length], ["MSET", .. batch.SelectMany(p => new[] { p.Key, p.Value })]);
                if (reply.IsError)
                {
                    throw new RingKvException("preload MSET failed: " + reply.AsString());
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return pairs;
    }

    /// <summary>
    /// Reads every key back with MGETs of 200 keys (each node gathers them from the keys' primaries at the default
    /// read level), several in flight, spread over the running nodes. One line per key that did not read back its value.
    /// </summary>
    public async Task<List<string>> MismatchesAsync(IReadOnlyDictionary<string, string> expected, int inFlight = 8)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var running = Nodes.Where(n => !n.HasExited).Select(EndpointOf).ToArray();
        var batches = await Task.WhenAll(expected.Chunk(200).Select(async (batch, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var reply = await Client.ExecuteOnAsync(running[index % running.Length], ["MGET", .. batch.Select(p => p.Key)]);
                if (reply.IsError || reply.Items.Count != batch.Length)
                {
                    return batch.Select(p => $"MGET {p.Key}: {reply.AsString()}").ToList();
                }
                return batch.Select((pair, i) => (pair, actual: reply.Items[i].AsString()))
                    .Where(r => r.actual != r.pair.Value)
                    .Select(r => $"GET {r.pair.Key}: expected '{r.pair.Value}', got {(r.actual is null ? "(nil)" : $"'{r.actual}'")}").ToList();
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. batches.SelectMany(b => b)];
    }

    /// <summary>Node id → endpoint for the running nodes the coordinator's map lists.</summary>
    public async Task<Dictionary<string, string>> MappedNodesAsync()
    {
        var map = await CoordinatorMapAsync();
        return Nodes.Where(n => !n.HasExited && map.Find(n.Name) is not null).ToDictionary(n => n.Name, EndpointOf);
    }

    /// <summary>Starts one more node; it registers and joins the ring through a transition.</summary>
    public Task<ManagedProcess> AddNodeAsync() => Cluster.AddNodeAsync();

    private async Task<ClusterMap> MapOfAsync(string endpoint)
    {
        var reply = await Client.ExecuteOnAsync(endpoint, "CLUSTER_MAP");
        return reply.IsError ? throw new RingKvException($"CLUSTER_MAP on {endpoint}: {reply.AsString()}") : ClusterMap.FromJson(reply.AsString()!);
    }

    private static string Summary(ClusterMap map) =>
        string.Join(", ", map.Nodes.Select(n => $"{n.Id}@{n.Port}={MapReplies.StateName(n.State)}"));

    /// <summary>Restarts a (killed) node under the same id and port, keeping the old process' output for the logs.</summary>
    public async Task<ManagedProcess> RestartNodeAsync(ManagedProcess node)
    {
        lock (_replacedOutput)
        {
            _replacedOutput.Add(Describe(node, ", before its restart"));
        }
        return await Cluster.RestartNodeAsync(node.Name);
    }

    /// <summary>Restarts the coordinator on its port and data directory, keeping the old process' output.</summary>
    public async Task RestartCoordinatorAsync()
    {
        lock (_replacedOutput)
        {
            _replacedOutput.Add(Describe(Cluster.Coordinator, ", before its restart"));
        }
        await Cluster.RestartCoordinatorAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Cluster.DisposeAsync();
        DeleteDirectory(Options.DataDirectory);
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
