using RingKV.IntegrationTests.TestKit;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>Unmodified Redis clients work against any node: redis-cli and StackExchange.Redis.</summary>
public sealed class RedisCompatibilityTests(SharedCluster shared, ITestOutputHelper output) : IClassFixture<SharedCluster>
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(15);

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task RedisCli_SetThroughOneNodeGetThroughAnother_PrintsOkThenValue()
    {
        var which = await ExternalProcess.RunAsync("which", ["redis-cli"], CliTimeout);
        Assert.True(which.ExitCode == 0 && which.StandardOutput.Trim().Length > 0,
            "redis-cli is not on PATH: install redis-tools (apt-get install redis-tools; CI installs it in .ci/run). " +
            $"`which redis-cli`: {which}");
        var cli = which.StandardOutput.Trim();

        await Cluster.VerifyAsync(async () =>
        {
            var set = await ExternalProcess.RunAsync(cli, ["-h", "127.0.0.1", "-p", Cluster.Nodes[0].Port.ToString(), "SET", "a", "b"], CliTimeout);
            Assert.True(set.ExitCode == 0 && set.StandardOutput.Trim() == "OK", $"redis-cli SET a b through {Cluster.Nodes[0].Name}: {set}");

            var get = await ExternalProcess.RunAsync(cli, ["-h", "127.0.0.1", "-p", Cluster.Nodes[1].Port.ToString(), "GET", "a"], CliTimeout);
            Assert.True(get.ExitCode == 0 && get.StandardOutput.Trim() == "b", $"redis-cli GET a through {Cluster.Nodes[1].Name}: {get}");
        });
    }

    [Fact]
    public async Task StackExchangeRedis_Standalone_SetThroughOneNodeGetThroughAnother_RoundTrips()
    {
        await Cluster.VerifyAsync(async () =>
        {
            using var writerLog = new StringWriter();
            using var readerLog = new StringWriter();
            // "$CLUSTER=" hides the CLUSTER command from the client: it then treats each node as a standalone server,
            // like a client that knows nothing of clusters, and the nodes proxy every key they do not lead.
            await using var writer = await ConnectionMultiplexer.ConnectAsync(ConfigurationFor(0) + ",$CLUSTER=", writerLog);
            await using var reader = await ConnectionMultiplexer.ConnectAsync(ConfigurationFor(2) + ",$CLUSTER=", readerLog);
            Assert.Equal(ServerType.Standalone, writer.GetServer("127.0.0.1", Cluster.Nodes[0].Port).ServerType);
            output.WriteLine($"StackExchange.Redis handshake with {Cluster.Nodes[0].Name}:\n{writerLog}");
            Assert.True(writer.IsConnected, $"StackExchange.Redis could not connect to {Cluster.Nodes[0].Name}:\n{writerLog}");
            Assert.True(reader.IsConnected, $"StackExchange.Redis could not connect to {Cluster.Nodes[2].Name}:\n{readerLog}");

            var value = "binary\0\r\nsafe-" + Guid.NewGuid().ToString("N");
            Assert.True(await writer.GetDatabase().StringSetAsync("se:key", value), "StringSet through StackExchange.Redis returned false");
            var read = await reader.GetDatabase().StringGetAsync("se:key");
            Assert.Equal(value, (string?)read);
            Assert.True((await reader.GetDatabase().StringGetAsync("se:missing")).IsNull, "a missing key must read as null");
        });
    }

    [Fact]
    public async Task RedisCliClusterMode_KeysOnEveryNode_ThroughOneNode()
    {
        await Cluster.VerifyAsync(async () =>
        {
            var port = Cluster.Nodes[0].Port.ToString();
            for (var i = 0; i < 20; i++)
            {
                var set = await ExternalProcess.RunAsync("redis-cli", ["-c", "-p", port, "SET", $"cli-c:{i}", $"v{i}"], CliTimeout);
                Assert.True(set.ExitCode == 0 && set.StandardOutput.Trim() == "OK", $"redis-cli -c SET cli-c:{i}: {set}");
                var get = await ExternalProcess.RunAsync("redis-cli", ["-c", "-p", port, "GET", $"cli-c:{i}"], CliTimeout);
                Assert.True(get.ExitCode == 0 && get.StandardOutput.Trim() == $"v{i}", $"redis-cli -c GET cli-c:{i}: {get}");
            }
            // The examples of Redis' CLUSTER KEYSLOT documentation.
            var slot = await ExternalProcess.RunAsync("redis-cli", ["-p", port, "CLUSTER", "KEYSLOT", "somekey"], CliTimeout);
            Assert.Equal("11058", slot.StandardOutput.Trim());
            var tagged = await ExternalProcess.RunAsync("redis-cli", ["-p", port, "CLUSTER", "KEYSLOT", "foo{hash_tag}"], CliTimeout);
            Assert.Equal("2515", tagged.StandardOutput.Trim());
        });
    }

    [Fact]
    public async Task StackExchangeRedis_ClusterMode_DiscoversEveryNodeAndSendsEachKeyStraightToItsPrimary()
    {
        await Cluster.VerifyAsync(async () =>
        {
            using var log = new StringWriter();
            await using var client = await ConnectionMultiplexer.ConnectAsync(ConfigurationFor(0), log);
            var server = client.GetServer("127.0.0.1", Cluster.Nodes[0].Port);
            output.WriteLine($"StackExchange.Redis handshake:\n{log}");
            Assert.Equal(ServerType.Cluster, server.ServerType);
            var topology = server.ClusterConfiguration ?? throw new InvalidOperationException("no cluster configuration");
            Assert.Equal(Cluster.Nodes.Select(n => n.Port).Order(), topology.Nodes.Select(n => ((System.Net.IPEndPoint)n.EndPoint!).Port).Order());
            Assert.Equal(16384, topology.Nodes.Sum(n => n.Slots.Sum(r => r.To - r.From + 1)));

            var forwardedBefore = await ForwardedAsync();
            var database = client.GetDatabase();
            var pairs = KeyValues.Make("se-cluster:", 300);
            foreach (var (key, value) in pairs)
            {
                Assert.True(await database.StringSetAsync(key, value));
            }
            foreach (var (key, value) in pairs)
            {
                Assert.Equal(value, (string?)await database.StringGetAsync(key));
            }
            var forwarded = await ForwardedAsync() - forwardedBefore;
            output.WriteLine($"{2 * pairs.Count} commands in cluster mode; nodes forwarded {forwarded} of them");
            Assert.Equal(0, forwarded);
        });
    }

    /// <summary>Commands the nodes passed on to another node (each executes its own primaries' keys locally).</summary>
    private async Task<long> ForwardedAsync()
    {
        long total = 0;
        foreach (var node in Cluster.Nodes)
        {
            var info = (await Cluster.Client.ExecuteOnAsync(ClusterFixture.EndpointOf(node), "INFO", "stats")).AsString() ?? "";
            var line = info.Split('\n').First(l => l.StartsWith("ringkv_forwarded_commands:", StringComparison.Ordinal));
            total += long.Parse(line.Split(':')[1].Trim());
        }
        return total;
    }

    private string ConfigurationFor(int node) => $"127.0.0.1:{Cluster.Nodes[node].Port},abortConnect=false,connectTimeout=5000";
}
