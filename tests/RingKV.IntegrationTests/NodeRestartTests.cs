using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>A killed node that comes back under the same id rejoins the cluster.</summary>
public sealed class NodeRestartTests
{
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RestartedNode_AfterKillAndDown_IsListedUpAgainAndServesReads()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var pairs = KeyValues.Make("rejoin", 50);
            var failures = await KeyValues.WriteAsync(pairs, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes with all nodes up failed: {KeyValues.FirstLines(failures)}");

            var victim = cluster.Nodes[1];
            victim.Kill();
            await cluster.WaitForStateAsync(victim, "DOWN", cluster.DownDeadline);

            var restarted = await cluster.RestartNodeAsync(victim);
            Assert.Equal(victim.Name, restarted.Name);
            await cluster.WaitForStateAsync(restarted, "UP", RejoinTimeout);
            await cluster.WaitForConvergenceAsync();

            await using var connection = await ClusterFixture.ConnectAsync(restarted);
            var mismatches = await KeyValues.MismatchesAsync(pairs, connection.GetAsync);
            Assert.True(mismatches.Count == 0, $"reads through the rejoined {restarted.Name}: {KeyValues.FirstLines(mismatches)}");
        });
    }
}
