using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RingKV.Cli.Local;
using RingKV.Cluster.Map;
using RingKV.IntegrationTests.TestKit;
using RingKV.Nemesis;
using RingKV.Net;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// A coordinator group of 3 with every coordinator in its own network namespace: the network between coordinators,
/// or between a node and the coordinators, fails while the processes run on. A leader cut off from the other two
/// is replaced, its side refuses map changes and catches up once healed; a node that only the coordinators lost
/// stays UP as long as its peers hear it (docs/adr/0014, docs/adr/0015).
/// </summary>
public sealed class CoordinatorPartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FailureTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    // Elections take 300–600 ms once the old leader is gone (CoordinatorGroup); a few seconds is generous on 2 busy cores.
    private static readonly TimeSpan ElectionDeadline = TimeSpan.FromSeconds(5);

    // A node is DOWN one failure timeout after the last evidence, found by a tick (every FailureTimeout/10); the
    // peers' last probe may be up to one heartbeat older than the cut. Twice the timeout covers that with slack.
    private static readonly TimeSpan DownDeadline = FailureTimeout * 2 + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task LeaderCutOffFromTheOtherCoordinators_MajorityElectsAndChangesTheMap_MinorityRefuses_AndCatchesUpAfterHealing()
    {
        var lab = await Labs.CreateOrSkipAsync(3, output);
        if (lab is null)
        {
            return;
        }
        await using (lab)
        {
            var options = Options("coordinator-partition") with
            {
                Nodes = 3,
                // Coordinator i in namespace i; the nodes and the test in the root namespace, which reaches all three.
                CoordinatorHostFor = i => lab.Address(i).ToString(),
                CoordinatorLauncher = lab.LauncherPrefix,
                NodeHost = _ => lab.BridgeAddress.ToString(),
            };
            await RunAsync(options, cluster => LeaderCutOffAsync(lab, cluster));
        }
    }

    [Fact]
    public async Task NodeCutOffFromEveryCoordinator_StaysUpWhileItsPeersHearIt_AndIsDownOnceItLosesThemToo()
    {
        var lab = await Labs.CreateOrSkipAsync(6, output);
        if (lab is null)
        {
            return;
        }
        await using (lab)
        {
            var options = Options("node-partition") with
            {
                Nodes = 3,
                // Coordinators in namespaces 1..3, node-i in namespace i + 3.
                CoordinatorHostFor = i => lab.Address(i).ToString(),
                CoordinatorLauncher = lab.LauncherPrefix,
                NodeHost = i => lab.Address(i + 3).ToString(),
                NodeLauncher = i => lab.LauncherPrefix(i + 3),
                // Debug logging on node-1 only: its failed heartbeats (event 201) are debug events.
                NodeArgumentsFor = i => i == 1 ? ["--verbose"] : [],
            };
            await RunAsync(options, cluster => NodeCutOffFromCoordinatorsAsync(lab, cluster));
        }
    }

    private static LocalClusterOptions Options(string name) => new()
    {
        Coordinators = 3,
        DataDirectory = Path.Combine(Path.GetTempPath(), $"ringkv-{name}-" + Guid.NewGuid().ToString("N")[..12]),
        DeleteDataOnDispose = true,
        FailureTimeout = FailureTimeout,
        HeartbeatInterval = HeartbeatInterval,
    };

    private static async Task RunAsync(LocalClusterOptions options, Func<LocalCluster, Task> scenario)
    {
        await using var cluster = await LocalCluster.StartAsync(options);
        try
        {
            await scenario(cluster);
        }
        catch (Exception ex)
        {
            throw new XunitException($"{ex.GetType().Name}: {ex.Message}\n{Logs(cluster)}", ex);
        }
    }

    private async Task LeaderCutOffAsync(NetworkLab lab, LocalCluster cluster)
    {
        // No connect back-off: a member that failed one poll is asked again on the next.
        await using var pool = new RespConnectionPool { CommandTimeout = TimeSpan.FromSeconds(5), RetryBackoff = TimeSpan.Zero };
        var coordinators = cluster.Coordinators;
        var leader = await AgreedLeaderAsync(pool, coordinators, Deadline, "all three coordinators name the same leader");
        // Coordinator i runs in namespace i: the leader's index in the list is its namespace.
        var leaderNs = IndexOf(coordinators, leader) + 1;
        var minority = coordinators[leaderNs - 1];
        var majority = coordinators.Where(c => c != minority).ToArray();
        var majorityNs = Enumerable.Range(1, 3).Where(i => i != leaderNs).ToArray();
        await WriteAndReadAsync(pool, cluster.Nodes, "before");
        var epochBefore = (await MapAsync(pool, minority.Endpoint)).Epoch;
        output.WriteLine($"leader {leader} (namespace {leaderNs}) at epoch {epochBefore}; cutting it off from namespaces {string.Join(",", majorityNs)}");

        // The old leader keeps the root namespace (nodes, test) and loses the other two coordinators.
        await lab.PartitionAsync([leaderNs], majorityNs);
        var clock = Stopwatch.StartNew();

        // (a) The majority elects one of its own, while the old leader, hearing no majority, stops leading.
        var steppedDown = StepDownAsync(pool, minority, clock);
        var newLeader = await AgreedLeaderAsync(pool, majority, ElectionDeadline, "the majority names a leader among its own members");
        var elected = clock.Elapsed;
        Assert.NotEqual(leader, newLeader);
        output.WriteLine($"new leader {newLeader} {elected.TotalSeconds:0.00} s after the partition");
        output.WriteLine($"the old leader stopped claiming to lead {(await steppedDown).TotalSeconds:0.00} s after the partition");

        // The data plane never waits on the coordinators.
        await WriteAndReadAsync(pool, cluster.Nodes, "partitioned");

        // (c) The cut-off member refuses membership writes once it knows it leads nobody (it may first have to step
        // down). node-2 is never decommissioned by this test: a write the minority took would show in its map.
        var refusal = "no reply yet";
        var refused = await Eventually.TrueAsync(async () =>
            {
                var reply = await pool.ExecuteAsync(minority.Endpoint, "DECOMMISSION", "node-2");
                refusal = reply.ToString();
                Assert.True(reply.IsError, $"the cut-off coordinator accepted DECOMMISSION node-2: {reply}");
                return reply.AsString()!.StartsWith("NOLEADER", StringComparison.Ordinal);
            },
            Deadline, $"the cut-off coordinator {minority.Endpoint} answers DECOMMISSION with NOLEADER", () => refusal);
        output.WriteLine($"the cut-off coordinator refuses map changes {clock.Elapsed.TotalSeconds:0.00} s after the partition "
            + $"({refused.TotalSeconds:0.00} s of polling): {refusal}");

        // The nodes reach every coordinator; the ones that talked to the old leader move on, since it answers NOLEADER.
        var links = "nothing observed yet";
        await Eventually.TrueAsync(async () =>
            {
                var current = new List<string>();
                foreach (var node in cluster.Nodes)
                {
                    current.Add(InfoField((await pool.ExecuteAsync(node.Endpoint, "INFO", "cluster")).AsString() ?? "", "coordinator") ?? "none");
                }
                links = string.Join(", ", cluster.Nodes.Select((n, i) => $"{n.Name} -> {current[i]}"));
                return current.All(c => majority.Any(m => m.Endpoint == c));
            },
            Deadline, "every node talks to a coordinator of the majority", () => links);
        output.WriteLine($"nodes' coordinators {clock.Elapsed.TotalSeconds:0.00} s after the partition: {links}");

        // (b) The majority changes the map: decommissioning node-3 through the majority member that does not lead
        // (it forwards to the leader) runs the whole transition, which needs every live node's heartbeats to reach
        // the new leader, so it also proves the nodes moved away from the old one.
        var forwarder = majority.First(c => c.Endpoint != newLeader);
        var decommission = await pool.ExecuteAsync(forwarder.Endpoint, "DECOMMISSION", "node-3");
        Assert.True(decommission.AsString() == "OK", $"DECOMMISSION node-3 through {forwarder.Name} answered {decommission}");
        var majorityMap = (ClusterMap?)null;
        var left = await Eventually.TrueAsync(async () =>
            {
                majorityMap = await MapAsync(pool, newLeader);
                return majorityMap.Find("node-3") is null && majorityMap.Transition is null;
            },
            Deadline, "node-3 has left the majority's map", () => Describe(majorityMap));
        output.WriteLine($"node-3 left the majority's map {left.TotalSeconds:0.00} s after DECOMMISSION: epoch {epochBefore} -> {majorityMap!.Epoch}");
        Assert.True(majorityMap.Epoch > epochBefore, $"the majority's epoch did not advance: {majorityMap.Epoch}");

        // Nothing of that reached the cut-off member, and the write it refused left no trace.
        var minorityMap = await MapAsync(pool, minority.Endpoint);
        Assert.True(minorityMap.Epoch < majorityMap.Epoch, $"the cut-off coordinator is at epoch {minorityMap.Epoch}, the majority at {majorityMap.Epoch}");
        Assert.False(minorityMap.Find("node-2")?.Leaving ?? true, $"the cut-off coordinator's map: {Describe(minorityMap)}");
        Assert.False(majorityMap.Find("node-2")?.Leaving ?? true, $"the majority's map: {Describe(majorityMap)}");
        await WriteAndReadAsync(pool, cluster.Nodes.Take(2), "after-decommission");

        // (d) Healed, the old leader catches up: every member serves the same map and names the same leader.
        await lab.HealAsync();
        clock.Restart();
        var views = "nothing observed yet";
        await Eventually.TrueAsync(async () =>
            {
                var maps = new List<string>();
                var leaders = new List<string?>();
                foreach (var coordinator in coordinators)
                {
                    maps.Add(await MapJsonAsync(pool, coordinator.Endpoint));
                    leaders.Add((await GroupAsync(pool, coordinator.Endpoint)).Leader);
                }
                views = string.Join("; ", coordinators.Select((c, i) => $"{c.Name}: epoch {ClusterMap.FromJson(maps[i]).Epoch}, leader {leaders[i] ?? "none"}"));
                return maps.Distinct().Count() == 1 && leaders.Distinct().Count() == 1 && leaders[0] is not null;
            },
            Deadline, "every coordinator serves the same map and names the same leader", () => views);
        var caughtUp = clock.Elapsed;
        output.WriteLine($"after healing, all three agree {caughtUp.TotalSeconds:0.00} s later: {views}");

        var finalLeader = await AgreedLeaderAsync(pool, coordinators, Deadline, "all three coordinators name the same leader");
        var expected = await MapJsonAsync(pool, finalLeader);
        foreach (var coordinator in coordinators)
        {
            Assert.Equal(expected, await MapJsonAsync(pool, coordinator.Endpoint));
        }
        var healed = ClusterMap.FromJson(expected);
        Assert.True(healed.Epoch >= majorityMap.Epoch, $"the healed group went back from epoch {majorityMap.Epoch} to {healed.Epoch}");
        Assert.Null(healed.Find("node-3"));
    }

    private async Task NodeCutOffFromCoordinatorsAsync(NetworkLab lab, LocalCluster cluster)
    {
        await using var pool = new RespConnectionPool { CommandTimeout = TimeSpan.FromSeconds(5), RetryBackoff = TimeSpan.Zero };
        var coordinators = cluster.Coordinators;
        var node1 = cluster.Nodes[0];
        var leader = await AgreedLeaderAsync(pool, coordinators, Deadline, "all three coordinators name the same leader");
        await WaitForNode1Async(pool, coordinators, up: true, Deadline);
        output.WriteLine($"leader {leader}; cutting node-1 (namespace 4) off from the coordinators (namespaces 1-3)");

        // node-1 keeps node-2, node-3 and the root namespace; it loses every coordinator.
        var cutAt = DateTime.Now;
        await lab.PartitionAsync([4], [1, 2, 3]);
        var clock = Stopwatch.StartNew();

        // Well past the failure timeout, every coordinator still shows node-1 UP: its peers vouch for it. The last
        // round starts after the whole window, so a DOWN published at any time in it is seen.
        var watched = 3 * FailureTimeout;
        var checks = 0;
        while (true)
        {
            var checkedAt = clock.Elapsed;
            foreach (var coordinator in coordinators)
            {
                var entry = (await MapAsync(pool, coordinator.Endpoint)).Find("node-1");
                Assert.True(entry?.IsUp == true,
                    $"{coordinator.Name} shows node-1 {entry?.State.ToString() ?? "missing"} {clock.Elapsed.TotalSeconds:0.0} s after node-1 lost only the coordinators");
            }
            checks++;
            if (checkedAt >= watched)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        output.WriteLine($"node-1 stayed UP on all three coordinators for {clock.Elapsed.TotalSeconds:0.0} s ({checks} rounds of checks)");

        // It was UP on its peers' word alone: node-1 could not heartbeat (its log says so, event 201), and the
        // leader's last report from it is older than twice the failure timeout.
        var failedHeartbeat = "none";
        await Eventually.TrueAsync(() =>
            {
                failedHeartbeat = LinesSince(node1.Output, cutAt).FirstOrDefault(l => l.Contains("[201]", StringComparison.Ordinal)) ?? "none";
                return Task.FromResult(failedHeartbeat != "none");
            },
            Deadline, "node-1 logs that no coordinator is reachable (event 201)",
            () => $"node-1's lines since the cut:\n{string.Join('\n', LinesSince(node1.Output, cutAt).TakeLast(20))}");
        output.WriteLine($"node-1's first failed heartbeat after the cut at {cutAt:HH:mm:ss.fff}: {failedHeartbeat}");
        var overview = JsonDocument.Parse((await pool.ExecuteAsync(coordinators[0].Endpoint, "OVERVIEW")).AsString()!).RootElement;
        var node1Overview = overview.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "node-1");
        Assert.Equal("UP", node1Overview.GetProperty("state").GetString());
        // No report at all means this leader has not heard node-1 since it was elected: just as silent.
        var reportAge = node1Overview.TryGetProperty("reportAgeMs", out var age) ? age.GetInt64() : (long?)null;
        Assert.True(reportAge is null || reportAge > 2 * FailureTimeout.TotalMilliseconds, $"the leader heard node-1 {reportAge} ms ago, through a partition");
        output.WriteLine($"the leader's last report from node-1 is {reportAge?.ToString(CultureInfo.InvariantCulture) ?? "absent"} ms old");

        // The control: node-1 loses its peers too, and nobody hears it any more.
        await lab.IsolateAsync(4);
        var down = await WaitForNode1Async(pool, coordinators, up: false, DownDeadline);
        output.WriteLine($"node-1 DOWN on all three coordinators {down.TotalSeconds:0.00} s after it was isolated");

        await lab.HealAsync();
        var up = await WaitForNode1Async(pool, coordinators, up: true, Deadline);
        output.WriteLine($"node-1 UP again on all three coordinators {up.TotalSeconds:0.00} s after healing");
    }

    /// <summary>Polls COORDINATORS on <paramref name="member"/> until it no longer names itself the leader.</summary>
    /// <returns>The time on <paramref name="clock"/> when it stopped.</returns>
    private static async Task<TimeSpan> StepDownAsync(RespConnectionPool pool, ManagedProcess member, Stopwatch clock)
    {
        var named = "nothing observed yet";
        await Eventually.TrueAsync(async () =>
            {
                named = (await GroupAsync(pool, member.Endpoint)).Leader ?? "none";
                return named != member.Endpoint;
            },
            Deadline, $"the cut-off coordinator {member.Endpoint} stops naming itself the leader", () => $"it names {named}");
        return clock.Elapsed;
    }

    private static string? InfoField(string info, string name) =>
        info.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>Polls CLUSTER_MAP on every coordinator until each shows node-1 UP (or DOWN).</summary>
    private static Task<TimeSpan> WaitForNode1Async(RespConnectionPool pool, IReadOnlyList<ManagedProcess> coordinators, bool up, TimeSpan deadline)
    {
        var state = "nothing observed yet";
        return Eventually.TrueAsync(async () =>
            {
                var seen = new List<NodeEntry?>();
                foreach (var coordinator in coordinators)
                {
                    seen.Add((await MapAsync(pool, coordinator.Endpoint)).Find("node-1"));
                }
                state = string.Join(", ", coordinators.Select((c, i) => $"{c.Name}: {seen[i]?.State.ToString() ?? "missing"}"));
                return seen.All(e => e?.IsUp == up);
            },
            deadline, $"every coordinator shows node-1 {(up ? "UP" : "DOWN")}", () => state);
    }

    /// <summary>Polls COORDINATORS on each of <paramref name="members"/> until all name the same leader, one of them.</summary>
    /// <returns>The leader's RESP endpoint.</returns>
    private static async Task<string> AgreedLeaderAsync(RespConnectionPool pool, IReadOnlyList<ManagedProcess> members, TimeSpan deadline, string because)
    {
        var leader = "";
        var views = "nothing observed yet";
        await Eventually.TrueAsync(async () =>
            {
                var named = new List<string?>();
                foreach (var member in members)
                {
                    named.Add((await GroupAsync(pool, member.Endpoint)).Leader);
                }
                views = string.Join(", ", members.Select((m, i) => $"{m.Name}: {named[i] ?? "none"}"));
                leader = named[0] ?? "";
                return named.Distinct().Count() == 1 && members.Any(m => m.Endpoint == leader);
            },
            deadline, because, () => views);
        return leader;
    }

    private static int IndexOf(IReadOnlyList<ManagedProcess> processes, string endpoint)
    {
        for (var i = 0; i < processes.Count; i++)
        {
            if (processes[i].Endpoint == endpoint)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"no coordinator at {endpoint}");
    }

    /// <summary>A few SETs, each read back, through every node given; all must succeed.</summary>
    private static async Task WriteAndReadAsync(RespConnectionPool pool, IEnumerable<ManagedProcess> nodes, string prefix)
    {
        foreach (var node in nodes)
        {
            for (var i = 0; i < 3; i++)
            {
                var key = $"{prefix}:{node.Name}:{i}";
                var set = await pool.ExecuteAsync(node.Endpoint, "SET", key, $"v{i}");
                Assert.True(set.AsString() == "OK", $"SET {key} through {node.Name} answered {set}");
                var get = await pool.ExecuteAsync(node.Endpoint, "GET", key);
                Assert.True(get.AsString() == $"v{i}", $"GET {key} through {node.Name} answered {get}");
            }
        }
    }

    private sealed record GroupView(string Self, string? Leader, long Term);

    private static async Task<GroupView> GroupAsync(RespConnectionPool pool, string endpoint)
    {
        var reply = await pool.ExecuteAsync(endpoint, "COORDINATORS");
        if (reply.IsError)
        {
            throw new InvalidOperationException($"COORDINATORS on {endpoint}: {reply}");
        }
        var root = JsonDocument.Parse(reply.AsString()!).RootElement;
        var leader = root.GetProperty("leader");
        return new GroupView(root.GetProperty("self").GetString()!, leader.ValueKind == JsonValueKind.Null ? null : leader.GetString(), root.GetProperty("term").GetInt64());
    }

    private static async Task<string> MapJsonAsync(RespConnectionPool pool, string endpoint)
    {
        var reply = await pool.ExecuteAsync(endpoint, "CLUSTER_MAP");
        return reply.IsError ? throw new InvalidOperationException($"CLUSTER_MAP on {endpoint}: {reply}") : reply.AsString()!;
    }

    private static async Task<ClusterMap> MapAsync(RespConnectionPool pool, string endpoint) => ClusterMap.FromJson(await MapJsonAsync(pool, endpoint));

    private static string Describe(ClusterMap? map) => map is null ? "no map yet"
        : $"epoch {map.Epoch}, nodes {string.Join(", ", map.Nodes.Select(n => $"{n.Id}={n.State}{(n.Leaving ? "/leaving" : "")}"))}, "
          + $"members {string.Join(",", map.Members)}, transition {map.Transition?.Id.ToString(CultureInfo.InvariantCulture) ?? "none"}";

    /// <summary>
    /// The lines a process logged at or after <paramref name="since"/>: text log lines start with their local time
    /// (<c>HH:mm:ss.fff</c>); lines without one (continuations) are skipped. A line up to an hour after counts, so a
    /// test running across midnight still reads its own lines.
    /// </summary>
    private static IEnumerable<string> LinesSince(string output, DateTime since)
    {
        foreach (var line in output.Split('\n'))
        {
            if (line.Length >= 12 && TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var at))
            {
                var after = (at - since.TimeOfDay + TimeSpan.FromDays(1)).Ticks % TimeSpan.TicksPerDay;
                if (after < TimeSpan.TicksPerHour)
                {
                    yield return line;
                }
            }
        }
    }

    private static string Logs(LocalCluster cluster)
    {
        var text = new StringBuilder("\n==================== cluster logs ====================\n");
        foreach (var process in cluster.Coordinators.Concat(cluster.Nodes))
        {
            text.Append($"---------- {process.Name} ({process.Endpoint}) ----------\n{process.Output}\n");
        }
        return text.ToString();
    }
}
