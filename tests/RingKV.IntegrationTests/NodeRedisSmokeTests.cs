using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// node-redis (the npm <c>redis</c> package), unmodified, works against a 3-node cluster: standalone mode through one
/// node, and cluster mode with the topology learned from CLUSTER SLOTS (tests/compat/node-redis/smoke.mjs).
/// </summary>
/// <remarks>
/// Needs Node.js. Without <c>node</c> on PATH the test writes a notice and returns, unless RINGKV_REQUIRE_NODE=1
/// (CI sets it where node is installed), which turns a missing node into a failure. node_modules is installed from
/// the lockfile with <c>npm ci</c> when absent.
/// </remarks>
public sealed class NodeRedisSmokeTests(SharedCluster shared, ITestOutputHelper output) : IClassFixture<SharedCluster>
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SmokeTimeout = TimeSpan.FromMinutes(2);

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task NodeRedis_StandaloneAndClusterMode_EveryReplyMatches()
    {
        var node = LocalRedisServer.FindOnPath("node");
        if (node is null)
        {
            const string Notice = "node (Node.js) is not on PATH, so the node-redis smoke test did not run; "
                + "install nodejs and npm (CI sets RINGKV_REQUIRE_NODE=1 to make this a failure)";
            Assert.False(Environment.GetEnvironmentVariable("RINGKV_REQUIRE_NODE") == "1", "RINGKV_REQUIRE_NODE=1 but " + Notice);
            output.WriteLine("NOTICE: " + Notice);
            Console.WriteLine("NOTICE: " + Notice);
            return;
        }
        var project = FindProjectDirectory();
        var script = Path.Combine(project, "smoke.mjs");
        if (!Directory.Exists(Path.Combine(project, "node_modules", "redis")))
        {
            var npm = LocalRedisServer.FindOnPath("npm");
            Assert.True(npm is not null, $"node is installed but npm is not on PATH; it is needed once to install {project}/node_modules");
            var install = await ExternalProcess.RunAsync(npm, ["ci", "--prefix", project, "--no-audit", "--no-fund"], InstallTimeout);
            Assert.True(install.ExitCode == 0, $"npm ci in {project} failed: {install}");
        }

        await Cluster.VerifyAsync(async () =>
        {
            var ports = Cluster.Nodes.Select(n => n.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var run = await ExternalProcess.RunAsync(node, [script, .. ports], SmokeTimeout);
            output.WriteLine(run.StandardOutput);
            output.WriteLine(run.StandardError);
            Assert.True(run.ExitCode == 0 && run.StandardOutput.Contains("\"ok\":true", StringComparison.Ordinal),
                $"node {script} {string.Join(' ', ports)}: {run}");
        });
    }

    /// <summary>tests/compat/node-redis, found by walking up from the test assembly to the repository root.</summary>
    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "compat", "node-redis");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"tests/compat/node-redis not found above {AppContext.BaseDirectory}");
    }
}
