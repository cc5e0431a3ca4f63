using System.Net;
using System.Text;
using RingKV.Cli.Local;
using RingKV.Cluster.Map;
using RingKV.IntegrationTests.TestKit;
using RingKV.Nemesis;
using RingKV.Net;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// A 3-node cluster with every node in its own network namespace (the coordinator and the test in the root
/// namespace, on the lab's bridge): the network, not the processes, fails. An isolated node misses writes that
/// still reach QUORUM through the others and catches up by hinted handoff once healed; under a {1} | {2,3}
/// partition the majority side keeps accepting writes and node 1 catches up after healing.
/// </summary>
public sealed class PartitionedClusterTests(ITestOutputHelper output)
{
    private const int KeyCount = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task NodesInNamespaces_IsolationAndPartition_QuorumWritesSucceed_AndHealedNodesCatchUp()
    {
        var lab = await Labs.CreateOrSkipAsync(3, output);
        if (lab is null)
        {
            return;
        }
        await using (lab)
        {
            var options = new LocalClusterOptions
            {
                Nodes = 3,
                DataDirectory = Path.Combine(Path.GetTempPath(), "ringkv-nemesis-" + Guid.NewGuid().ToString("N")[..12]),
                DeleteDataOnDispose = true,
                FailureTimeout = ClusterFixture.FastFailureTimeout,
                HeartbeatInterval = TimeSpan.FromMilliseconds(250),
                // The coordinator stays in the root namespace, on the bridge every namespace reaches.
                CoordinatorHost = lab.BridgeAddress.ToString(),
                NodeHost = i => lab.Address(i).ToString(),
                NodeLauncher = lab.LauncherPrefix,
                NodeArguments = ["--peer-timeout", "1s", "--write-consistency", "QUORUM"],
            };
            await using var cluster = await LocalCluster.StartAsync(options);
            await using var pool = new RespConnectionPool { CommandTimeout = TimeSpan.FromSeconds(10) };
            try
            {
                await RunScenarioAsync(lab, cluster, pool);
            }
            catch (Exception ex)
            {
                throw new XunitException($"{ex.GetType().Name}: {ex.Message}\n{Logs(cluster)}", ex);
            }
        }
    }

    private async Task RunScenarioAsync(NetworkLab lab, LocalCluster cluster, RespConnectionPool pool)
    {
        var (node1, node2, node3) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);
        var map = await MapAsync(pool, cluster.CoordinatorEndpoint);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(lab.Address(i).ToString(), map.Find($"node-{i}")!.Host);
        }

        var before = Pairs("before");
        await WriteAllAsync(pool, node1, before);
        await WaitUntilHeldAsync(pool, node3, before, "node-3 holds the writes made while all were connected");

        // Isolation: node 3 loses everyone, the coordinator included.
        await lab.IsolateAsync(3);
        await WaitForStateAsync(pool, cluster, node1, "node-3", up: false);
        var isolated = Pairs("isolated");
        await WriteAllAsync(pool, node1, isolated);
        using (var inside = new BareResp(await lab.ConnectInsideAsync(3, new IPEndPoint(lab.Address(3), node3.Port))))
        {
            foreach (var (key, value) in before)
            {
                Assert.Equal(value, await inside.ExecuteAsync(CommandTimeout, "RKV.LOCALGET", key));
            }
            foreach (var key in isolated.Keys)
            {
                Assert.Null(await inside.ExecuteAsync(CommandTimeout, "RKV.LOCALGET", key));
            }
        }
        await lab.HealAsync();
        await WaitForStateAsync(pool, cluster, node1, "node-3", up: true);
        var caughtUp = await WaitUntilHeldAsync(pool, node3, isolated, "node-3 holds the writes it missed (hinted handoff)");
        output.WriteLine($"node-3 caught up {caughtUp.TotalSeconds:0.0} s after it was UP again");
        // Settled: every hint delivered, so the nodes that hinted node-3 have reached it again and no longer
        // suspect it (a peer that just failed is skipped for a moment, and this test is not about that moment).
        await WaitForHintsDeliveredAsync(pool, cluster);

        // Partition {1} | {2,3}: everyone keeps the coordinator, so nobody is DOWN; 2 and 3 are a quorum.
        await lab.PartitionAsync([1], [2, 3]);
        var majority = Pairs("majority");
        await WriteAllAsync(pool, node2, majority);
        var minority = await pool.ExecuteAsync(node1.Endpoint, "SET", "minority", "v");
        output.WriteLine($"SET through node-1 on the minority side answered: {minority}");
        Assert.True(minority.IsError, $"node-1 alone accepted a QUORUM write: {minority}");
        await lab.HealAsync();
        await WaitUntilHeldAsync(pool, node1, majority, "node-1 holds the majority side's writes after healing");
    }

    private static Task WaitForHintsDeliveredAsync(RespConnectionPool pool, LocalCluster cluster)
    {
        var state = "nothing observed yet";
        return Eventually.TrueAsync(async () =>
            {
                var counters = new List<HintCounters>();
                foreach (var node in cluster.Nodes)
                {
                    counters.Add(HintCounters.Parse((await pool.ExecuteAsync(node.Endpoint, "INFO", "replication")).AsString() ?? ""));
                }
                state = string.Join("; ", cluster.Nodes.Zip(counters, (n, c) => $"{n.Name}: {c}"));
                return counters.All(c => c.Pending == 0);
            },
            Deadline, "every node reports hints_pending:0", () => state);
    }

    private static Dictionary<string, string> Pairs(string prefix) =>
        Enumerable.Range(0, KeyCount).ToDictionary(i => $"{prefix}:{i}", i => $"{prefix}-v{i}");

    private static async Task WriteAllAsync(RespConnectionPool pool, ManagedProcess node, Dictionary<string, string> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            var reply = await pool.ExecuteAsync(node.Endpoint, "SET", key, value);
            Assert.True(reply.AsString() == "OK", $"SET {key} through {node.Name} answered {reply}");
        }
    }

    /// <summary>Polls RKV.LOCALGET (the node's own copy) from the root namespace until every pair is there.</summary>
    private static Task<TimeSpan> WaitUntilHeldAsync(RespConnectionPool pool, ManagedProcess node, Dictionary<string, string> pairs, string because)
    {
        var missing = pairs.Keys.ToList();
        return Eventually.TrueAsync(async () =>
            {
                var stillMissing = new List<string>();
                foreach (var key in missing)
                {
                    if ((await pool.ExecuteAsync(node.Endpoint, "RKV.LOCALGET", key)).AsString() != pairs[key])
                    {
                        stillMissing.Add(key);
                    }
                }
                missing = stillMissing;
                return missing.Count == 0;
            },
            Deadline, because, () => $"missing on {node.Name}: {string.Join(", ", missing)}");
    }

    /// <summary>Waits until the coordinator and <paramref name="observer"/> both show <paramref name="nodeId"/> UP (or not).</summary>
    private static Task WaitForStateAsync(RespConnectionPool pool, LocalCluster cluster, ManagedProcess observer, string nodeId, bool up)
    {
        var state = "nothing observed yet";
        return Eventually.TrueAsync(async () =>
            {
                var coordinator = (await MapAsync(pool, cluster.CoordinatorEndpoint)).Find(nodeId);
                var seen = (await MapAsync(pool, observer.Endpoint)).Find(nodeId);
                state = $"coordinator: {coordinator?.State}, {observer.Name}: {seen?.State}";
                return coordinator?.IsUp == up && seen?.IsUp == up;
            },
            Deadline, $"the coordinator and {observer.Name} show {nodeId} {(up ? "UP" : "DOWN")}", () => state);
    }

    private static async Task<ClusterMap> MapAsync(RespConnectionPool pool, string endpoint)
    {
        var reply = await pool.ExecuteAsync(endpoint, "CLUSTER_MAP");
        return reply.IsError ? throw new InvalidOperationException($"CLUSTER_MAP on {endpoint}: {reply}") : ClusterMap.FromJson(reply.AsString()!);
    }

    private static string Logs(LocalCluster cluster)
    {
        var text = new StringBuilder("\n==================== cluster logs ====================\n");
        foreach (var process in cluster.Nodes.Prepend(cluster.Coordinator))
        {
            text.Append($"---------- {process.Name} ({process.Endpoint}) ----------\n{process.Output}\n");
        }
        return text.ToString();
    }
}
