using System.Globalization;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests.Http;

/// <summary>Scrapes <c>/metrics</c> before and after traffic: the counters, histograms and gauges move with it.</summary>
public sealed class MetricsTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task Node_CommandCountersLatencyHistogramAndKeys_MoveWithTraffic()
    {
        const int Writes = 200;
        var before = await ScrapeAllNodesAsync();
        var pairs = KeyValues.Make("metrics", Writes);
        var failures = await KeyValues.WriteAsync(pairs, (k, v) => Cluster.Client.SetAsync(k, v));
        Assert.Empty(failures);
        foreach (var key in pairs.Keys.Take(50))
        {
            await Cluster.Client.GetAsync(key);
        }
        // A wrong-arity GET is an error reply: it counts under result="error".
        var wrong = await Cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(Cluster.Nodes[0]), "GET");
        Assert.True(wrong.IsError);

        var after = await ScrapeAllNodesAsync();
        // Each SET runs once on its key's primary (the client routes it there), so the sum over nodes moves by at
        // least the writes; replicas count the copies under rkv.replicate.
        Assert.True(Sum(after, "ringkv_commands_total", "command=\"set\",result=\"ok\"") - Sum(before, "ringkv_commands_total", "command=\"set\",result=\"ok\"") >= Writes);
        Assert.True(Sum(after, "ringkv_commands_total", "command=\"get\",result=\"ok\"") - Sum(before, "ringkv_commands_total", "command=\"get\",result=\"ok\"") >= 50);
        Assert.True(Sum(after, "ringkv_commands_total", "command=\"get\",result=\"error\"") - Sum(before, "ringkv_commands_total", "command=\"get\",result=\"error\"") >= 1);
        Assert.True(Sum(after, "ringkv_commands_total", "command=\"rkv.replicate\",result=\"ok\"") > Sum(before, "ringkv_commands_total", "command=\"rkv.replicate\",result=\"ok\""));
        Assert.True(Sum(after, "ringkv_command_duration_seconds_count", "command=\"set\"") - Sum(before, "ringkv_command_duration_seconds_count", "command=\"set\"") >= Writes);
        // Three copies of every key: the nodes' key gauges together hold at least three times the writes.
        Assert.True(Sum(after, "ringkv_keys", null) >= 3 * Writes, $"ringkv_keys summed over nodes: {Sum(after, "ringkv_keys", null)}");
        Assert.True(Sum(after, "ringkv_stored_bytes", null) > 0);
        Assert.True(Sum(after, "ringkv_connections", null) > 0);
        // .NET's own figures ride along: GC collections and the process' memory.
        Assert.All(after, text => Assert.Contains("dotnet_collection_count_total", text));
        Assert.All(after, text => Assert.Contains("process_working_set_bytes", text));
    }

    [Fact]
    public async Task Node_UnknownCommands_CountAsUnknown_NotUnderTheClientsSpelling()
    {
        var node = Cluster.Nodes[1];
        var reply = await Cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "NO-SUCH-COMMAND-42");
        Assert.True(reply.IsError);
        var text = await ScrapeAsync(node.HttpPort!.Value);
        Assert.True(Sum([text], "ringkv_commands_total", "command=\"unknown\",result=\"error\"") >= 1);
        Assert.DoesNotContain("no-such-command-42", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Coordinator_ExportsTheClusterAsItSeesIt()
    {
        var text = await ScrapeAsync(Cluster.Cluster.Coordinator.HttpPort!.Value);
        Assert.Equal(3, Sum([text], "ringkv_cluster_nodes", "state=\"up\""));
        Assert.Equal(0, Sum([text], "ringkv_cluster_nodes", "state=\"down\""));
        Assert.Equal(3, Sum([text], "ringkv_ring_members", null));
        Assert.True(Sum([text], "ringkv_map_epoch", null) > 0);
        Assert.Equal(0, Sum([text], "ringkv_rebalance_active", null));
    }

    private async Task<string[]> ScrapeAllNodesAsync() =>
        await Task.WhenAll(Cluster.Nodes.Select(n => ScrapeAsync(n.HttpPort!.Value)));

    private static async Task<string> ScrapeAsync(int port)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sums a metric's samples over scrapes; <paramref name="labels"/> (exact label text) or null for an unlabelled metric.</summary>
    private static double Sum(IEnumerable<string> scrapes, string metric, string? labels)
    {
        var prefix = labels is null ? metric + " " : $"{metric}{{{labels}}} ";
        return scrapes.SelectMany(text => text.Split('\n'))
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture));
    }
}
