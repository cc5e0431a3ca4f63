using System.Diagnostics;
using System.Text.Json.Nodes;
using RingKV.Cli.Local;
using RingKV.Client;
using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// A group of three coordinators replicating the map through Raft (docs/adr/0015-coordinator-group-raft.md). The
/// leader is killed with SIGKILL while a node joins and another fails: the survivors elect a new leader within seconds,
/// finish the join and mark the failed node DOWN, end with the same map, and client traffic meanwhile never fails (the
/// data plane does not depend on the coordinators). The killed leader, restarted, catches up to the same map.
/// </summary>
public sealed class CoordinatorGroupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NewLeaderDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LeaderKilled_WhileNodesJoinAndFail_NewLeaderMapsAgreeAndClientsSeeNoErrors()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 3, failureTimeout: ClusterFixture.FastFailureTimeout, coordinators: 3);
        await cluster.VerifyAsync(async () =>
        {
            var coordinators = cluster.Cluster.Coordinators;
            var (leaderEndpoint, term) = await AgreedLeaderAsync(cluster, coordinators);
            var leader = coordinators.Single(c => c.Endpoint == leaderEndpoint);
            output.WriteLine($"leader before: {leader.Name} ({leaderEndpoint}), term {term}");

            using var stopTraffic = new CancellationTokenSource();
            var traffic = Task.Run(() => RunTrafficAsync(cluster.Client, stopTraffic.Token));

            // The three events at once: the leader dies, a node joins, a node dies.
            var clock = Stopwatch.StartNew();
            leader.Kill();
            var joining = cluster.AddNodeAsync();
            cluster.Nodes[1].Kill();
            var survivors = coordinators.Where(c => c != leader).ToArray();

            var (newLeader, newTerm) = (leaderEndpoint, term);
            await Eventually.TrueAsync(async () =>
                {
                    (newLeader, newTerm) = await AgreedLeaderAsync(cluster, survivors);
                    return newLeader is not null && newLeader != leaderEndpoint;
                }, NewLeaderDeadline, "the surviving coordinators agree on a new leader", () => $"leader {newLeader}, term {newTerm}");
            output.WriteLine($"new leader {newLeader} (term {newTerm}) agreed by both survivors {clock.ElapsedMilliseconds} ms after the kill");
            Assert.True(newTerm > term, $"the new leader's term {newTerm} is not past {term}");

            var joined = await joining;
            await cluster.WaitForStableRingAsync(["node-1", "node-2", "node-3", joined.Name], SettleDeadline);
            await cluster.WaitForStateAsync(cluster.Nodes[1], "DOWN", SettleDeadline);
            var maps = await EqualMapsAsync(cluster, survivors);
            output.WriteLine($"join and failure settled {clock.Elapsed.TotalSeconds:0.0} s after the kill; both survivors hold epoch {maps.Epoch}");

            // The old leader comes back as a follower and catches up from the log.
            await cluster.Cluster.RestartCoordinatorAsync(coordinators.ToList().IndexOf(leader) + 1);
            var all = cluster.Cluster.Coordinators;
            var caughtUp = await EqualMapsAsync(cluster, all);
            Assert.True(caughtUp.Epoch >= maps.Epoch);
            Assert.Equal(newLeader, (await AgreedLeaderAsync(cluster, all)).Leader);

            await stopTraffic.CancelAsync();
            var (operations, ambiguous, failures) = await traffic;
            output.WriteLine($"client traffic: {operations} operations, {ambiguous} writes retried after an ambiguous answer, {failures.Count} failures");
            Assert.True(operations > 100, $"only {operations} operations ran");
            Assert.Empty(failures);
        });
    }

    /// <summary>The leader every one of <paramref name="members"/> names in COORDINATORS (they must agree), and its term.</summary>
    private static async Task<(string? Leader, long Term)> AgreedLeaderAsync(ClusterFixture cluster, IEnumerable<ManagedProcess> members)
    {
        var views = new List<(string? Leader, long Term)>();
        foreach (var member in members)
        {
            var reply = await cluster.Client.ExecuteOnAsync(member.Endpoint, "COORDINATORS");
            var view = JsonNode.Parse(reply.AsString()!)!;
            views.Add(((string?)view["leader"], (long)view["term"]!));
        }
        return views.Distinct().Count() == 1 && views[0].Leader is not null ? views[0] : (null, -1);
    }

    // Polls until every member serves the same map (same JSON), and returns it.
    private static async Task<Cluster.Map.ClusterMap> EqualMapsAsync(ClusterFixture cluster, IEnumerable<ManagedProcess> members)
    {
        string[] documents = [];
        await Eventually.TrueAsync(async () =>
            {
                documents = await Task.WhenAll(members.Select(async m => (await cluster.Client.ExecuteOnAsync(m.Endpoint, "CLUSTER_MAP")).AsString() ?? ""));
                return documents.Distinct().Count() == 1;
            }, SettleDeadline, "every coordinator serves the same map",
            () => string.Join("; ", documents.Select(d => d.Length > 120 ? d[..120] + "…" : d)));
        return Cluster.Map.ClusterMap.FromJson(documents[0]);
    }

    /// <summary>
    /// One client writing and reading back, sequentially, until cancelled (at most 20,000 operations). A write whose
    /// node died before answering is ambiguous (RingKvClient does not resend writes by itself); SET of the same value
    /// is idempotent, so it is retried once, as an application would. Every read must return the last value written.
    /// </summary>
    private static async Task<(int Operations, int Ambiguous, List<string> Failures)> RunTrafficAsync(RingKvClient client, CancellationToken stop)
    {
        var failures = new List<string>();
        var written = new Dictionary<string, string>();
        var (operations, ambiguous) = (0, 0);
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            var key = $"group-{i % 200}";
            try
            {
                if (i % 3 == 2 && written.TryGetValue(key, out var expected))
                {
                    var actual = await client.GetAsync(key);
                    if (actual != expected)
                    {
                        failures.Add($"GET {key}: expected {expected}, got {actual ?? "(nil)"}");
                    }
                }
                else
                {
                    var value = $"v{i}";
                    try
                    {
                        await client.SetAsync(key, value);
                    }
                    catch (RingKvException ex) when (ex.Message.Contains("may or may not have been applied", StringComparison.Ordinal))
                    {
                        ambiguous++;
                        await client.SetAsync(key, value);
                    }
                    written[key] = value;
                }
                operations++;
            }
            catch (RingKvException ex)
            {
                failures.Add($"operation {i} on {key}: {ex.Message}");
            }
        }
        return (operations, ambiguous, failures);
    }
}
