using RingKV.Client;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>The coordinator persists the map, and the data plane does not depend on it being up.</summary>
public sealed class CoordinatorRestartTests
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RestartCoordinator_MapPersisted_ListNodesStillListsTheThreeNodes()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var before = await cluster.ListNodesAsync();
            Assert.Equal(3, before.Count);

            await cluster.RestartCoordinatorAsync();

            IReadOnlyList<NodeStatus> after = [];
            await Eventually.TrueAsync(async () =>
                {
                    after = await cluster.ListNodesAsync();
                    return after.Count > 0 && after.All(n => n.IsUp);
                },
                RecoveryTimeout, "the restarted coordinator answers LIST_NODES with every node UP", () => string.Join("; ", after));
            Assert.Equal(before.OrderBy(n => n.Id).Select(n => n.ToString()), after.OrderBy(n => n.Id).Select(n => n.ToString()));

            await cluster.WaitForConvergenceAsync();
            var pairs = KeyValues.Make("after-coordinator-restart", 50);
            var failures = await KeyValues.WriteAsync(pairs, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes after the coordinator restart failed: {KeyValues.FirstLines(failures)}");
            var mismatches = await KeyValues.MismatchesAsync(pairs, cluster.Client.GetAsync);
            Assert.True(mismatches.Count == 0, $"reads after the coordinator restart: {KeyValues.FirstLines(mismatches)}");
        });
    }

    [Fact]
    public async Task CoordinatorDown_WritesAndReadsThroughNodes_KeepWorkingAndMapSurvivesItsReturn()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var earlier = KeyValues.Make("before-coordinator-down", 50);
            var failures = await KeyValues.WriteAsync(earlier, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes with the coordinator up failed: {KeyValues.FirstLines(failures)}");

            cluster.Cluster.Coordinator.Kill();
            await Assert.ThrowsAsync<RingKvException>(() => cluster.ListNodesAsync());

            // Through each node's own endpoint (round robin), then read back through every node.
            var connections = await Task.WhenAll(cluster.Nodes.Select(ClusterFixture.ConnectAsync));
            try
            {
                var duringOutage = KeyValues.Make("coordinator-down", 99);
                var index = 0;
                failures = await KeyValues.WriteAsync(duringOutage, (k, v) => connections[Interlocked.Increment(ref index) % connections.Length].SetAsync(k, v));
                Assert.True(failures.Count == 0, $"writes through the nodes with the coordinator down failed: {KeyValues.FirstLines(failures)}");
                var all = earlier.Concat(duringOutage).ToDictionary();
                foreach (var connection in connections)
                {
                    var mismatches = await KeyValues.MismatchesAsync(all, connection.GetAsync);
                    Assert.True(mismatches.Count == 0, $"reads through {connection.Endpoint} with the coordinator down: {KeyValues.FirstLines(mismatches)}");
                }
                var viaClient = KeyValues.Make("coordinator-down-client", 30);
                failures = await KeyValues.WriteAsync(viaClient, (k, v) => cluster.Client.SetAsync(k, v));
                Assert.True(failures.Count == 0, $"RingKvClient writes with the coordinator down failed: {KeyValues.FirstLines(failures)}");
                var clientMismatches = await KeyValues.MismatchesAsync(viaClient, cluster.Client.GetAsync);
                Assert.True(clientMismatches.Count == 0, $"RingKvClient reads with the coordinator down: {KeyValues.FirstLines(clientMismatches)}");
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            await cluster.RestartCoordinatorAsync();
            IReadOnlyList<NodeStatus> listed = [];
            await Eventually.TrueAsync(async () =>
                {
                    listed = await cluster.ListNodesAsync();
                    return listed.Count == 3 && listed.All(n => n.IsUp);
                },
                RecoveryTimeout, "the restarted coordinator lists the 3 nodes UP", () => string.Join("; ", listed));
            Assert.Equal(cluster.Nodes.Select(n => $"{n.Name} {ClusterFixture.EndpointOf(n)} UP").Order(), listed.Select(n => n.ToString()).Order());
        });
    }

    [Fact]
    public async Task CoordinatorLosesItsMap_NodesRefuseTheNewClusterAndKeepTheirData()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var pairs = KeyValues.Make("before-map-loss", 200);
            Assert.Empty(await KeyValues.WriteAsync(pairs, (k, v) => cluster.Client.SetAsync(k, v)));
            var node = cluster.Nodes[2];
            await Eventually.TrueAsync(async () => await cluster.IntegerOnAsync(node, "RKV.LOCALCOUNT") == pairs.Count,
                RecoveryTimeout, $"{node.Name} holds all {pairs.Count} keys");

            // A coordinator that lost its map is a new cluster: to it the nodes would be new nodes, and new nodes
            // drop data of slots they are not given. They must refuse it instead.
            File.Delete(Path.Combine(cluster.Options.DataDirectory, "coordinator", "cluster-map.json"));
            await cluster.RestartCoordinatorAsync();

            await Eventually.TrueAsync(() => Task.FromResult(cluster.Nodes.All(n => n.Output.Contains("CLUSTERMISMATCH", StringComparison.Ordinal))),
                RecoveryTimeout, "every node logs that the coordinator serves another cluster");
            // Polled: the client's connection pool may still be backing off from a connection that failed while the
            // coordinator was restarting.
            IReadOnlyList<NodeStatus> listed = [];
            await Eventually.TrueAsync(async () => (listed = await cluster.ListNodesAsync()).Count == 0,
                RecoveryTimeout, "the coordinator without its map lists no nodes", () => string.Join("; ", listed));
            Assert.Equal(pairs.Count, await cluster.IntegerOnAsync(node, "RKV.LOCALCOUNT"));
            // The data plane keeps serving from the last map the nodes had.
            Assert.Empty(await KeyValues.MismatchesAsync(pairs, key => cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "GET", key)
                .ContinueWith(t => t.Result.AsString(), TaskScheduler.Default)));
        });
    }
}
