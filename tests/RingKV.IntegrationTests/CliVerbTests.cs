using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RingKV.IntegrationTests.TestKit;
using RingKV.Placement;

namespace RingKV.IntegrationTests;

/// <summary>
/// The read-only verbs as an operator or a script sees them: <c>list-nodes</c>, <c>ring</c>, <c>status</c>,
/// <c>nodes-for-key</c> and <c>get</c>, run as the <c>ringkv</c> process against a real cluster, in their table form
/// and with <c>--json</c> (whose stdout must be one JSON document and nothing else).
/// </summary>
public sealed class CliVerbTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public Task ListNodes_Json_ListsTheThreeNodesUpWithAllSlotsLedOnce() => Cluster.VerifyAsync(async () =>
    {
        var (result, json) = await RunJsonAsync("list-nodes");
        var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
        Assert.True(Cluster.Nodes.Select(n => n.Name).SequenceEqual(nodes.Select(n => n.GetProperty("id").GetString())),
            $"list-nodes --json should list exactly the 3 nodes: {result}");
        foreach (var (node, entry) in Cluster.Nodes.Zip(nodes))
        {
            Assert.Equal(ClusterFixture.EndpointOf(node), entry.GetProperty("address").GetString());
            Assert.Equal("UP", entry.GetProperty("state").GetString());
            Assert.Equal("member", entry.GetProperty("membership").GetString());
            // RF 3 on 3 nodes: each node holds every slot, as primary or replica.
            Assert.Equal(HashSlot.Count, entry.GetProperty("primarySlots").GetInt32() + entry.GetProperty("replicaSlots").GetInt32());
        }
        Assert.Equal(HashSlot.Count, nodes.Sum(n => n.GetProperty("primarySlots").GetInt32()));
        Assert.Equal(100.0, nodes.Sum(n => n.GetProperty("primaryPercent").GetDouble()), precision: 0);
    });

    [Fact]
    public Task ListNodes_Table_NamesEveryNodeWithItsAddressAndState() => Cluster.VerifyAsync(async () =>
    {
        var result = await RingKvCli.RunAsync(CliTimeout, "list-nodes", "-c", Cluster.CoordinatorEndpoint);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var node in Cluster.Nodes)
        {
            var row = result.StandardOutput.Split('\n').FirstOrDefault(line => line.Contains(node.Name, StringComparison.Ordinal));
            Assert.True(row is not null && row.Contains(ClusterFixture.EndpointOf(node), StringComparison.Ordinal) && row.Contains("UP", StringComparison.Ordinal),
                $"no table row names {node.Name} with its address and UP: {result}");
        }
    });

    [Fact]
    public Task Ring_Json_CountsEachNodesPrimarySlotsAsTheCoordinatorsRingDoes() => Cluster.VerifyAsync(async () =>
    {
        var map = await Cluster.CoordinatorMapAsync();
        var (result, json) = await RunJsonAsync("ring");
        Assert.Equal(map.ReplicationFactor, json.GetProperty("replicationFactor").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("transition").ValueKind);
        var expected = map.Ring.PrimarySlotCounts();
        var nodes = json.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.True(nodes.Count == 3, $"ring --json should list 3 nodes: {result}");
        for (var i = 0; i < map.Ring.Nodes.Count; i++)
        {
            var node = nodes[map.Ring.Nodes[i]];
            Assert.Equal(expected[i], node.GetProperty("primarySlots").GetInt32());
            Assert.Equal(map.VirtualNodesPerNode, node.GetProperty("virtualNodes").GetInt32());
            Assert.Equal(HashSlot.Count, node.GetProperty("heldSlots").GetInt32());
        }
        Assert.Equal(Math.Round((double)expected.Max() / expected.Min(), 3), json.GetProperty("balance").GetDouble());
    });

    [Fact]
    public Task Ring_Table_PrintsTheSummaryLineAndEveryNode() => Cluster.VerifyAsync(async () =>
    {
        var result = await RingKvCli.RunAsync(CliTimeout, "ring", "-c", Cluster.CoordinatorEndpoint);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.StandardOutput.Contains("RF 3", StringComparison.Ordinal) && result.StandardOutput.Contains("balance", StringComparison.Ordinal),
            $"ring should print a summary line with the RF and the balance: {result}");
        Assert.All(Cluster.Nodes, node => Assert.Contains(node.Name, result.StandardOutput, StringComparison.Ordinal));
        Assert.DoesNotContain("transition", result.StandardOutput, StringComparison.Ordinal);
    });

    [Fact]
    public Task NodesForKey_Json_ListsThePrimaryThenTheReplicasOfTheKeysSlot() => Cluster.VerifyAsync(async () =>
    {
        const string key = "cli-verbs:placement";
        var (result, json) = await RunJsonAsync("nodes-for-key", key);
        Assert.Equal(key, json.GetProperty("key").GetString());
        Assert.Equal(HashSlot.ForKey(Encoding.UTF8.GetBytes(key)), json.GetProperty("slot").GetInt32());
        var expected = (await Cluster.CoordinatorMapAsync()).PreferenceListForKey(Encoding.UTF8.GetBytes(key)).Select(n => n.Id);
        var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
        Assert.True(expected.SequenceEqual(nodes.Select(n => n.GetProperty("id").GetString())), $"not the key's preference list: {result}");
        Assert.Equal(["primary", "replica", "replica"], nodes.Select(n => n.GetProperty("role").GetString()));
    });

    [Fact]
    public Task Get_Json_PrintsTheValueOrNullForAMissingKey() => Cluster.VerifyAsync(async () =>
    {
        await Cluster.Client.SetAsync("cli-verbs:present", "héllo \"world\"");
        var (_, present) = await RunJsonAsync("get", "cli-verbs:present");
        Assert.Equal("cli-verbs:present", present.GetProperty("key").GetString());
        Assert.Equal("héllo \"world\"", present.GetProperty("value").GetString());

        var (_, missing) = await RunJsonAsync("get", "cli-verbs:never-written");
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("value").ValueKind);
    });

    [Fact]
    public Task Status_Json_ReportsEveryNodeReachableWithItsKeysAndCounters() => Cluster.VerifyAsync(async () =>
    {
        const int keys = 50;
        foreach (var i in Enumerable.Range(0, keys))
        {
            await Cluster.Client.SetAsync($"cli-verbs:status:{i}", "v");
        }
        var last = "nothing yet";
        // The third copy of a write may land after the write returned: poll until every node counts them all.
        await Eventually.TrueAsync(async () =>
            {
                var (result, json) = await RunJsonAsync("status");
                last = result.StandardOutput;
                Assert.Equal(3, json.GetProperty("nodesTotal").GetInt32());
                Assert.Equal(3, json.GetProperty("nodesUp").GetInt32());
                Assert.Equal("idle", json.GetProperty("rebalance").GetString());
                var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
                Assert.True(Cluster.Nodes.Select(n => n.Name).SequenceEqual(nodes.Select(n => n.GetProperty("id").GetString())), "status should list the 3 nodes");
                Assert.All(nodes, node =>
                {
                    Assert.True(node.GetProperty("reachable").GetBoolean());
                    Assert.True(node.GetProperty("commandsProcessed").GetInt64() > 0);
                    Assert.True(node.GetProperty("connectedClients").GetInt64() >= 1);
                    Assert.True(node.GetProperty("usedMemoryRss").GetInt64() > 0);
                });
                return nodes.All(n => n.GetProperty("keys").GetInt64() >= keys);
            },
            TimeSpan.FromSeconds(20), $"status --json shows every node holding the {keys} keys", () => last);
    });

    [Fact]
    public async Task Status_AfterANodeIsKilled_ShowsItDownAndUnreachableAndExitsZero()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var victim = cluster.Nodes[1];
            victim.Kill();
            var last = "nothing yet";
            JsonElement dead = default;
            // Assertions inside the poll are invariants (a failed one ends the test at once); the condition is what
            // the kill leads to: the node stops answering at once, and shows DOWN after the failure timeout.
            await Eventually.TrueAsync(async () =>
                {
                    var result = await RingKvCli.RunAsync(CliTimeout, "status", "--json", "-c", cluster.CoordinatorEndpoint);
                    last = result.ToString();
                    Assert.True(result.ExitCode == 0, $"status must not fail because a node is dead: {result}");
                    using var document = JsonDocument.Parse(result.StandardOutput);
                    var nodes = document.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
                    Assert.All(cluster.Nodes.Where(n => n != victim), n => Assert.True(nodes[n.Name].GetProperty("reachable").GetBoolean()));
                    dead = nodes[victim.Name].Clone();
                    return !dead.GetProperty("reachable").GetBoolean() && dead.GetProperty("state").GetString() == "DOWN";
                },
                cluster.DownDeadline + CliTimeout, $"status --json shows {victim.Name} DOWN and unreachable", () => last);
            Assert.Equal(JsonValueKind.Null, dead.GetProperty("keys").ValueKind);
            Assert.False(string.IsNullOrEmpty(dead.GetProperty("error").GetString()));

            var table = await RingKvCli.RunAsync(CliTimeout, "status", "-c", cluster.CoordinatorEndpoint);
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains("2/3 nodes UP", table.StandardOutput, StringComparison.Ordinal);
            var row = table.StandardOutput.Split('\n').SkipWhile(line => !line.Contains(victim.Name, StringComparison.Ordinal)).Take(2).ToList();
            Assert.True(row.Count == 2 && row[0].Contains("DOWN", StringComparison.Ordinal) && row[1].Contains("unreachable", StringComparison.Ordinal),
                $"the table should show {victim.Name} DOWN and unreachable: {table}");
        });
    }

    [Fact]
    public async Task JsonVerbs_ClusterUnreachable_ExitTwoWithNothingOnStdout()
    {
        var port = FreePort();
        foreach (var verb in new[] { "status", "ring", "list-nodes", "rebalance status" })
        {
            var result = await RingKvCli.RunAsync(CliTimeout, [.. verb.Split(' '), "--json", "-c", $"127.0.0.1:{port}"]);
            Assert.True(result.ExitCode == 2 && result.StandardOutput.Length == 0 && result.StandardError.Contains("cannot reach", StringComparison.Ordinal),
                $"{verb} --json against a closed port: {result}");
        }
    }

    /// <summary>Runs a verb with --json against the shared cluster; it must exit 0 with one JSON document on stdout.</summary>
    private async Task<(ProcessResult Result, JsonElement Json)> RunJsonAsync(params string[] verb)
    {
        var result = await RingKvCli.RunAsync(CliTimeout, [.. verb, "--json", "-c", Cluster.CoordinatorEndpoint]);
        Assert.True(result.ExitCode == 0, result.ToString());
        try
        {
            // Parse rejects anything after the document, so this also checks that stdout holds nothing else.
            using var document = JsonDocument.Parse(result.StandardOutput);
            return (result, document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{string.Join(' ', verb)} --json did not print one JSON document ({ex.Message}): {result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
