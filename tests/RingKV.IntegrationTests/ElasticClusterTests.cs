using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using RingKV.Cluster.Coordinator;
using RingKV.Cluster.Map;
using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// Nodes join, leave and die while clients write: data really moves, no client operation fails, no acknowledged
/// write is lost, and afterwards every key is on exactly its preference list (3 nodes).
/// </summary>
public sealed partial class ElasticClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task JoinFourthNode_UnderWriteLoad_NothingFailsOrIsLost_EveryKeyOnThree_MovesAQuarter()
    {
        const int keys = 100_000;
        await using var cluster = await ClusterFixture.StartAsync(nodes: 3);
        await cluster.VerifyAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            var preloaded = await cluster.PreloadAsync("k:", keys);
            output.WriteLine($"preloaded {keys} keys in {clock.Elapsed.TotalSeconds:0.0} s");
            await using var load = WriteLoad.Start(cluster.Client, "k:", keys, maxOperations: 150_000, maxDuration: TimeSpan.FromSeconds(150));
            await Eventually.TrueAsync(() => Task.FromResult(load.Acknowledged >= 200), TimeSpan.FromSeconds(30), "the write load runs");

            var keysAtJoin = keys + load.Created;
            clock.Restart();
            var joined = await cluster.AddNodeAsync();
            var status = await cluster.WaitForStableRingAsync(cluster.Nodes.Select(n => n.Name), SettleTimeout);
            output.WriteLine($"{joined.Name} joined and the ring settled in {clock.Elapsed.TotalSeconds:0.0} s");
            await KeepWritingAsync(load);
            await load.StopAsync();

            var summary = status.Last ?? throw new InvalidOperationException("no finished transition in REBALANCE STATUS");
            var fraction = summary.KeysMoved / (3.0 * keysAtJoin);
            output.WriteLine($"load: {load.Acknowledged} writes acknowledged, {load.Failures.Count} failed; "
                + $"moved {summary.KeysMoved} of {3 * keysAtJoin} key copies = {fraction:P2} (ideal 25%), {summary.BytesMoved / 1e6:0.0} MB in {summary.DurationSeconds:0.0} s");
            Assert.True(load.Failures.Count == 0, $"client writes failed during the join: {KeyValues.FirstLines([.. load.Failures])}");
            await AssertEverythingReadableAndPlacedAsync(cluster, preloaded, load);
            Assert.InRange(fraction / 0.25, 0.9, 1.1);
        });
    }

    [Fact]
    public async Task DecommissionNode_UnderWriteLoad_NothingFailsOrIsLost_LeaverHoldsNothing()
    {
        const int keys = 20_000;
        await using var cluster = await ClusterFixture.StartAsync(nodes: 4);
        await cluster.VerifyAsync(async () =>
        {
            var preloaded = await cluster.PreloadAsync("d:", keys);
            await using var load = WriteLoad.Start(cluster.Client, "d:", keys, maxOperations: 100_000, maxDuration: TimeSpan.FromSeconds(120));
            await Eventually.TrueAsync(() => Task.FromResult(load.Acknowledged >= 200), TimeSpan.FromSeconds(30), "the write load runs");
            var leaver = cluster.Nodes[1];

            var clock = Stopwatch.StartNew();
            var cli = await RingKvCli.RunAsync(SettleTimeout, "node", "decommission", leaver.Name, "-c", cluster.CoordinatorEndpoint, "--wait");
            output.WriteLine($"ringkv node decommission {leaver.Name} --wait: {cli}");
            Assert.True(cli.ExitCode == 0, $"decommission failed: {cli}");
            var status = await cluster.WaitForStableRingAsync(cluster.Nodes.Where(n => n != leaver).Select(n => n.Name), SettleTimeout);
            output.WriteLine($"{leaver.Name} left in {clock.Elapsed.TotalSeconds:0.0} s; moved {status.Last?.KeysMoved} keys");
            await KeepWritingAsync(load);
            await load.StopAsync();

            Assert.True(load.Failures.Count == 0, $"client writes failed during the decommission: {KeyValues.FirstLines([.. load.Failures])}");
            Assert.False(leaver.HasExited, "the decommissioned node should keep running (as a proxy) until stopped");
            await Eventually.TrueAsync(async () => (await KeyPlacement.KeysOnAsync(cluster.Client, ClusterFixture.EndpointOf(leaver))).Count == 0,
                TimeSpan.FromSeconds(30), $"{leaver.Name} holds no data after leaving");
            Assert.Equal(0, await cluster.IntegerOnAsync(leaver, "RKV.LOCALCOUNT"));
            await AssertEverythingReadableAndPlacedAsync(cluster, preloaded, load);
            output.WriteLine($"load: {load.Acknowledged} writes acknowledged, 0 failed; {leaver.Name} holds 0 records");
        });
    }

    [Fact]
    public async Task KilledNode_PastRemovalTimeout_SurvivorsRestoreThreeCopies_ThenNewNodeRestoresBalance()
    {
        const int keys = 20_000;
        await using var cluster = await ClusterFixture.StartAsync(nodes: 4, failureTimeout: ClusterFixture.FastFailureTimeout,
            coordinatorArguments: ["--removal-timeout", "3s"]);
        await cluster.VerifyAsync(async () =>
        {
            var preloaded = await cluster.PreloadAsync("r:", keys);
            var victim = cluster.Nodes[3];
            victim.Kill();
            var clock = Stopwatch.StartNew();
            var survivors = cluster.Nodes.Where(n => n != victim).Select(n => n.Name).ToList();
            var status = await cluster.WaitForStableRingAsync(survivors, SettleTimeout);
            output.WriteLine($"{victim.Name} killed; removed and re-replicated after {clock.Elapsed.TotalSeconds:0.0} s ({status.Last?.KeysMoved} keys copied)");
            Assert.Null((await cluster.CoordinatorMapAsync()).Find(victim.Name));
            await AssertPlacedAsync(cluster, preloaded);
            var counts = await KeyPlacement.CountsAsync(cluster.Client, await cluster.MappedNodesAsync());
            Assert.All(counts, c => Assert.Equal(keys, c.Value));

            clock.Restart();
            var fresh = await cluster.AddNodeAsync();
            survivors.Add(fresh.Name);
            status = await cluster.WaitForStableRingAsync(survivors, SettleTimeout);
            output.WriteLine($"{fresh.Name} joined in {clock.Elapsed.TotalSeconds:0.0} s ({status.Last?.KeysMoved} keys copied)");
            await AssertPlacedAsync(cluster, preloaded);
            counts = await KeyPlacement.CountsAsync(cluster.Client, await cluster.MappedNodesAsync());
            output.WriteLine("copies per node: " + string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}")));
            // Balanced again: each of 4 nodes holds about 3/4 of the keys.
            Assert.All(counts, c => Assert.InRange(c.Value / (0.75 * keys), 0.85, 1.15));
            Assert.Empty(await cluster.MismatchesAsync(preloaded));
        });
    }

    [Fact]
    public async Task ReplicaLosesKeys_RingKvRepair_RestoresExactlyTheMissingKeys()
    {
        const int keys = 2000;
        const int lost = 300;
        await using var cluster = await ClusterFixture.StartAsync(nodes: 3);
        await cluster.VerifyAsync(async () =>
        {
            var preloaded = await cluster.PreloadAsync("a:", keys);
            var nodes = await cluster.MappedNodesAsync();
            await Eventually.TrueAsync(async () => (await KeyPlacement.CountsAsync(cluster.Client, nodes)).Values.All(c => c == keys),
                TimeSpan.FromSeconds(30), "every node holds every key (RF 3 on 3 nodes)");
            var damaged = cluster.Nodes[1];
            var removed = preloaded.Keys.Take(lost).ToList();
            foreach (var key in removed)
            {
                Assert.Equal(1, await cluster.IntegerOnAsync(damaged, "RKV.LOCALDEL", key));
            }
            Assert.Equal(keys - lost, (await KeyPlacement.KeysOnAsync(cluster.Client, ClusterFixture.EndpointOf(damaged))).Count);

            var cli = await RingKvCli.RunAsync(TimeSpan.FromMinutes(2), "repair", "-c", cluster.CoordinatorEndpoint);
            output.WriteLine(cli.StandardOutput);
            Assert.True(cli.ExitCode == 0, $"ringkv repair failed: {cli}");
            var pulled = long.Parse(RepairTotal().Match(cli.StandardOutput).Groups[1].Value.Replace(",", ""));
            output.WriteLine($"ringkv repair pulled {pulled} keys; {lost} had been deleted on {damaged.Name}");

            Assert.Equal(lost, pulled);
            foreach (var key in removed)
            {
                Assert.Equal(preloaded[key], await cluster.LocalGetAsync(damaged, key));
            }
            Assert.Equal(keys, (await KeyPlacement.KeysOnAsync(cluster.Client, ClusterFixture.EndpointOf(damaged))).Count);
        });
    }

    [Fact]
    public async Task CoordinatorHttp_RebalanceStatusAndDecommission_MatchTheRespCommands()
    {
        await using var cluster = await ClusterFixture.StartAsync(nodes: 4, coordinatorArguments: ["--http-port", "0"]);
        await cluster.VerifyAsync(async () =>
        {
            var preloaded = await cluster.PreloadAsync("h:", 2000);
            var port = HttpPort().Match(cluster.Cluster.Coordinator.Output).Groups[1].Value;
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            Assert.Equal("ok", (await http.GetStringAsync("/health")).Trim());
            var idle = RebalanceReport.FromJson(await http.GetStringAsync("/v1/rebalance"));
            Assert.Equal("idle", idle.State);
            Assert.Equal(4, idle.Members.Length);
            Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/v1/nodes/node-9/decommission", null)).StatusCode);

            var leaving = await http.PostAsync("/v1/nodes/node-4/decommission", null);
            Assert.Equal(HttpStatusCode.Accepted, leaving.StatusCode);
            await cluster.WaitForStableRingAsync(["node-1", "node-2", "node-3"], SettleTimeout);

            var done = RebalanceReport.FromJson(await http.GetStringAsync("/v1/rebalance"));
            var map = ClusterMap.FromJson(await http.GetStringAsync("/v1/cluster"));
            output.WriteLine($"after POST /v1/nodes/node-4/decommission: {done.ToJson()}");
            Assert.Equal("idle", done.State);
            Assert.NotNull(done.Last);
            Assert.True(done.Last.KeysMoved > 0, "the leaver's slots were copied");
            Assert.Null(map.Find("node-4"));
            await AssertPlacedAsync(cluster, preloaded);
        });
    }

    [GeneratedRegex(@"repair: ([\d,]+) keys pulled")]
    private static partial Regex RepairTotal();

    [GeneratedRegex(@"RINGKV READY role=coordinator .* http=(\d+)")]
    private static partial Regex HttpPort();

    // A little more load once the ring has settled: writes routed by the final map must work too.
    private static async Task KeepWritingAsync(WriteLoad load)
    {
        var before = load.Acknowledged;
        await Eventually.TrueAsync(() => Task.FromResult(load.Acknowledged >= before + 200), TimeSpan.FromSeconds(30), "writes continue after the change");
    }

    private static async Task AssertEverythingReadableAndPlacedAsync(ClusterFixture cluster, Dictionary<string, string> preloaded, WriteLoad load)
    {
        var expected = new Dictionary<string, string>(preloaded);
        foreach (var (key, value) in load.Expected)
        {
            expected[key] = value;
        }
        var mismatches = await cluster.MismatchesAsync(expected);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {expected.Count} acknowledged writes did not read back: {KeyValues.FirstLines(mismatches)}");
        await AssertPlacedAsync(cluster, expected);
    }

    private static async Task AssertPlacedAsync(ClusterFixture cluster, IReadOnlyDictionary<string, string> expected)
    {
        var map = await cluster.CoordinatorMapAsync();
        var nodes = await cluster.MappedNodesAsync();
        List<string> problems = [];
        // Old holders drop moved slots shortly after the transition finishes; give the sweep a moment.
        await Eventually.TrueAsync(async () =>
            {
                var stored = await KeyPlacement.StoredAsync(cluster.Client, nodes);
                problems = KeyPlacement.Problems(map, stored, expected.Keys);
                var total = stored.Values.Sum(keys => keys.Count);
                if (total != expected.Count * map.ReplicationFactor)
                {
                    problems.Add($"{total} records stored for {expected.Count} keys x {map.ReplicationFactor} copies");
                }
                return problems.Count == 0;
            },
            TimeSpan.FromSeconds(60), "every key is on exactly the nodes of its preference list", () => KeyValues.FirstLines(problems));
    }
}
