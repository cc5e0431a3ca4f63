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
    public async Task StackExchangeRedis_SetThroughOneNodeGetThroughAnother_RoundTrips()
    {
        await Cluster.VerifyAsync(async () =>
        {
            using var writerLog = new StringWriter();
            using var readerLog = new StringWriter();
            await using var writer = await ConnectionMultiplexer.ConnectAsync(ConfigurationFor(0), writerLog);
            await using var reader = await ConnectionMultiplexer.ConnectAsync(ConfigurationFor(2), readerLog);
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

    private string ConfigurationFor(int node) => $"127.0.0.1:{Cluster.Nodes[node].Port},abortConnect=false,connectTimeout=5000";
}
