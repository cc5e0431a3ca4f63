using System.Net;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests.Http;

/// <summary>The HTTP API when things go wrong: a body over the limit, a node down, a node not yet registered.</summary>
public sealed class HttpApiFailureTests
{
    [Fact]
    public async Task NodeDown_AllLevelWriteIs503_QuorumStillServes_DeadNodeRefuses_ViewsShowItDown()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout,
            nodeArguments: ["--proto-max-bulk-len", "1mb"]);
        await cluster.VerifyAsync(async () =>
        {
            using var api = new HttpApi(cluster.Nodes[0]);
            using var coordinator = new HttpApi(cluster.Cluster.Coordinator);

            // A body over the node's proto-max-bulk-len is refused as such, and nothing is stored.
            await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/http:big", new string('x', 2 << 20)), HttpStatusCode.RequestEntityTooLarge, "TOOLARGE");
            Assert.Null(await cluster.Client.GetAsync("http:big"));
            using (var small = await api.PutAsync("v1/kv/http:before", "kept"))
            {
                Assert.Equal(HttpStatusCode.NoContent, small.StatusCode);
            }

            var victim = cluster.Nodes[2];
            using var dead = new HttpApi(victim);
            victim.Kill();
            await Assert.ThrowsAsync<HttpRequestException>(() => dead.GetAsync("health"));

            // ALL needs every replica: unavailable, said so with the RESP code. QUORUM needs 2 of 3: served.
            await HttpApi.ExpectErrorAsync(api.PutAsync("v1/kv/http:all?consistency=ALL", "v"), HttpStatusCode.ServiceUnavailable, "NOREPLICAS");
            using (var quorum = await api.GetAsync("v1/kv/http:before"))
            {
                Assert.Equal(HttpStatusCode.OK, quorum.StatusCode);
                Assert.Equal("kept", await quorum.Content.ReadAsStringAsync());
            }
            using (var write = await api.PutAsync("v1/kv/http:after", "v"))
            {
                Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
            }

            await Eventually.TrueAsync(async () => (await coordinator.JsonAsync($"v1/nodes/{victim.Name}")).GetProperty("state").GetString() == "DOWN",
                cluster.DownDeadline, "the coordinator's /v1/nodes shows the killed node DOWN");
            var overview = await api.JsonAsync("v1/overview");
            Assert.Equal("DOWN", overview.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == victim.Name)
                .GetProperty("state").GetString());
        });
    }

    [Fact]
    public async Task NodeWithoutCoordinator_IsLiveButNotReady_AndRelaysAre503()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ringkv-it-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // Nothing listens on the coordinator port: the node starts (after its 10 s registration wait) but is
            // not routable.
            using var unused = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            unused.Start();
            var closedPort = ((IPEndPoint)unused.LocalEndpoint).Port;
            unused.Stop();
            await using var node = await ManagedProcess.StartAsync("lonely",
                ["node", "--id", "lonely", "--port", "0", "--http-port", "0", "--coordinator", $"127.0.0.1:{closedPort}",
                 "--storage", "memory", "--data-dir", dataDirectory], echo: false, TimeSpan.FromSeconds(30));
            using var api = new HttpApi(node);
            using var health = await api.GetAsync("health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await HttpApi.ExpectErrorAsync(api.GetAsync("ready"), HttpStatusCode.ServiceUnavailable, "NOTREADY");
            await HttpApi.ExpectErrorAsync(api.GetAsync("v1/overview"), HttpStatusCode.ServiceUnavailable, "CLUSTERDOWN");
            await HttpApi.ExpectErrorAsync(api.GetAsync("v1/nodes/lonely"), HttpStatusCode.ServiceUnavailable, "CLUSTERDOWN");
            await HttpApi.ExpectErrorAsync(api.GetAsync("v1/kv/some-key"), HttpStatusCode.ServiceUnavailable, "CLUSTERDOWN");
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
