using System.Net;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests.Http;

/// <summary>
/// The HTTP API over real HTTP against a real 3-node cluster: keys through any node, the cluster views, health and
/// readiness, the OpenAPI document, and the error cases (bad key, bad parameters, unknown node).
/// </summary>
public sealed class HttpApiTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task Key_PutThroughOneNode_ReadsBackThroughAnotherAndOverResp_DeleteRemovesIt()
    {
        using var first = new HttpApi(Cluster.Nodes[0]);
        using var second = new HttpApi(Cluster.Nodes[1]);
        using var third = new HttpApi(Cluster.Nodes[2]);

        using (var put = await first.PutAsync("v1/kv/http:user:1", "Alice in UTF-8: ✓"))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        using (var get = await second.GetAsync("v1/kv/http:user:1"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Alice in UTF-8: ✓", await get.Content.ReadAsStringAsync());
        }
        Assert.Equal("Alice in UTF-8: ✓", await Cluster.Client.GetAsync("http:user:1"));

        using (var delete = await third.DeleteAsync("v1/kv/http:user:1"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        await HttpApi.ExpectErrorAsync(first.GetAsync("v1/kv/http:user:1"), HttpStatusCode.NotFound, "NOTFOUND");
        await HttpApi.ExpectErrorAsync(first.DeleteAsync("v1/kv/http:user:1"), HttpStatusCode.NotFound, "NOTFOUND");
        Assert.Null(await Cluster.Client.GetAsync("http:user:1"));
    }

    [Fact]
    public async Task Key_WithSlashesAndEscapes_IsOneKey()
    {
        using var api = new HttpApi(Cluster.Nodes[0]);
        using (var put = await api.PutAsync("v1/kv/http/a%20b/c", "nested"))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        Assert.Equal("nested", await Cluster.Client.GetAsync("http/a b/c"));
    }

    [Fact]
    public async Task Key_PutWithTtl_ExpiresAndShowsTtlOverResp()
    {
        using var api = new HttpApi(Cluster.Nodes[2]);
        using (var put = await api.PutAsync("v1/kv/http:ttl?ttl=1&consistency=ALL", "short-lived"))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        var ttl = await Cluster.Client.ExecuteAsync("http:ttl", "PTTL", "http:ttl");
        Assert.InRange(ttl.Integer, 1, 1000);
        await Eventually.TrueAsync(async () =>
        {
            using var get = await api.GetAsync("v1/kv/http:ttl");
            return get.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "the key put with ttl=1 expires");
    }

    [Fact]
    public async Task Key_ConsistencyLevels_AreAcceptedCaseInsensitively()
    {
        using var api = new HttpApi(Cluster.Nodes[1]);
        foreach (var level in new[] { "ONE", "quorum", "All" })
        {
            using var put = await api.PutAsync($"v1/kv/http:level:{level}?consistency={level}", level);
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            using var get = await api.GetAsync($"v1/kv/http:level:{level}?consistency={level}");
            Assert.Equal(level, await get.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Key_BadRequests_AreJsonErrorsAndNothingIsStored()
    {
        using var api = new HttpApi(Cluster.Nodes[0]);
        await HttpApi.ExpectErrorAsync(api.GetAsync("v1/kv/"), HttpStatusCode.BadRequest, "BADKEY");
        await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/", "v"), HttpStatusCode.BadRequest, "BADKEY");
        await HttpApi.ExpectErrorAsync(api.GetAsync("v1/kv/k?consistency=SOME"), HttpStatusCode.BadRequest, "BADCONSISTENCY");
        await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/http:bad-ttl?ttl=soon", "v"), HttpStatusCode.BadRequest, "BADTTL");
        await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/http:bad-ttl?ttl=0", "v"), HttpStatusCode.BadRequest, "BADTTL");
        await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/http:bad-ttl?ttl=-5", "v"), HttpStatusCode.BadRequest, "BADTTL");
        Assert.Null(await Cluster.Client.GetAsync("http:bad-ttl"));
        // A key longer than Kestrel's request line limit is refused before any handler runs.
        using var tooLong = await api.GetAsync("v1/kv/" + new string('k', 10_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
    }

    [Fact]
    public async Task Cluster_OnCoordinatorAndNode_ListsNodesAndSlotRangesCoveringEverySlot()
    {
        using var coordinator = new HttpApi(Cluster.Cluster.Coordinator);
        using var node = new HttpApi(Cluster.Nodes[1]);
        foreach (var api in new[] { coordinator, node })
        {
            var map = await api.JsonAsync("v1/cluster");
            Assert.True(map.GetProperty("epoch").GetInt64() > 0);
            var nodes = map.GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(Cluster.Nodes.Select(n => n.Name).Order(), nodes.Select(n => n.GetProperty("id").GetString()).Order());
            Assert.All(nodes, n => Assert.Equal("UP", n.GetProperty("state").GetString()));
            var next = 0;
            foreach (var range in map.GetProperty("slots").EnumerateArray())
            {
                Assert.Equal(next, range.GetProperty("start").GetInt32());
                Assert.Equal(3, range.GetProperty("replicas").GetArrayLength());
                next = range.GetProperty("end").GetInt32() + 1;
            }
            Assert.Equal(16384, next);
        }
    }

    [Fact]
    public async Task Nodes_ById_FromCoordinatorAndRelayedByNode_UnknownIs404()
    {
        using var coordinator = new HttpApi(Cluster.Cluster.Coordinator);
        using var node = new HttpApi(Cluster.Nodes[2]);
        var target = Cluster.Nodes[0];
        foreach (var api in new[] { coordinator, node })
        {
            var entry = await api.JsonAsync($"v1/nodes/{target.Name}");
            Assert.Equal(target.Name, entry.GetProperty("id").GetString());
            Assert.Equal(target.Port, entry.GetProperty("port").GetInt32());
            Assert.Equal("UP", entry.GetProperty("state").GetString());
            Assert.True(entry.GetProperty("primarySlots").GetInt32() > 0);
            await Eventually.TrueAsync(async () => (await api.JsonAsync($"v1/nodes/{target.Name}")).TryGetProperty("report", out _),
                TimeSpan.FromSeconds(10), "the node's heartbeat report reaches the coordinator");
            await HttpApi.ExpectErrorAsync(api.GetAsync("v1/nodes/no-such-node"), HttpStatusCode.NotFound, "NOTFOUND");
        }
    }

    [Fact]
    public async Task HealthReadyAndOpenApi_AreServedByEveryProcess()
    {
        foreach (var process in Cluster.Nodes.Append(Cluster.Cluster.Coordinator))
        {
            using var api = new HttpApi(process);
            using var health = await api.GetAsync("health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var ready = await api.GetAsync("ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var openApi = await api.JsonAsync("openapi/v1.json");
            var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Contains("/v1/cluster", paths);
            Assert.Contains("/v1/nodes/{id}", paths);
            Assert.Contains("/v1/rebalance", paths);
            Assert.Contains("/metrics", paths);
            Assert.Contains(process == Cluster.Cluster.Coordinator ? "/v1/nodes/{id}/decommission" : "/v1/kv/{key}", paths);
        }
    }

    [Fact]
    public async Task Rebalance_AndOverview_FromCoordinatorAndRelayedByNode()
    {
        using var coordinator = new HttpApi(Cluster.Cluster.Coordinator);
        using var node = new HttpApi(Cluster.Nodes[0]);
        foreach (var api in new[] { coordinator, node })
        {
            var status = await api.JsonAsync("v1/rebalance");
            Assert.Equal("idle", status.GetProperty("state").GetString());
            var overview = await api.JsonAsync("v1/overview");
            Assert.Equal(3, overview.GetProperty("nodes").GetArrayLength());
            var arcs = overview.GetProperty("arcs").EnumerateArray().ToList();
            Assert.Equal(0, arcs[0].GetProperty("start").GetInt32());
            Assert.Equal(16383, arcs[^1].GetProperty("end").GetInt32());
        }
    }

    [Fact]
    public async Task Decommission_UnknownNode_Is404()
    {
        using var coordinator = new HttpApi(Cluster.Cluster.Coordinator);
        await HttpApi.ExpectErrorAsync(coordinator.PostAsync("v1/nodes/no-such-node/decommission"), HttpStatusCode.NotFound, "NOTFOUND");
    }

    [Fact]
    public async Task Repair_OnANode_ComparesItsSlotsWithThePeers()
    {
        using var api = new HttpApi(Cluster.Nodes[1]);
        using var response = await api.PostAsync("v1/repair");
        var result = await HttpApi.ExpectJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(2, result.GetProperty("peers").GetInt32());
        Assert.True(result.GetProperty("slotsCompared").GetInt32() > 0);
    }

    [Fact]
    public async Task Dashboard_IsServedLocally()
    {
        using var api = new HttpApi(Cluster.Cluster.Coordinator);
        using var page = await api.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("RingKV", await page.Content.ReadAsStringAsync());
        using var missing = await api.GetAsync("dashboard/../../etc/passwd");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
