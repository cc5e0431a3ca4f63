using System.Diagnostics;
using RingKV.Client;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>Nodes die with SIGKILL; what was acknowledged stays readable, and the cluster notices.</summary>
public sealed class FailoverTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task KillAnyNode_AfterAcknowledgedWrites_SurvivorsServeEveryKeyAndCoordinatorMarksItDown(int victimIndex)
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var before = KeyValues.Make("before-kill", 300);
            var failures = await KeyValues.WriteAsync(before, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes with all nodes up failed: {KeyValues.FirstLines(failures)}");

            var victim = cluster.Nodes[victimIndex];
            var survivors = cluster.Nodes.Where(n => n != victim).ToList();
            var after = KeyValues.Make("after-kill", 100);
            victim.Kill();
            var sinceKill = Stopwatch.StartNew();

            async Task<TimeSpan> ListedDownAsync()
            {
                await cluster.WaitForStateAsync(victim, "DOWN", cluster.DownDeadline + TimeSpan.FromSeconds(5));
                return sinceKill.Elapsed;
            }

            async Task SurvivorsServeAsync()
            {
                var throughClient = await KeyValues.MismatchesAsync(before, cluster.Client.GetAsync);
                Assert.True(throughClient.Count == 0, $"after killing {victim.Name}, through RingKvClient: {KeyValues.FirstLines(throughClient)}");
                foreach (var survivor in survivors)
                {
                    await using var connection = await ClusterFixture.ConnectAsync(survivor);
                    var mismatches = await KeyValues.MismatchesAsync(before, connection.GetAsync);
                    Assert.True(mismatches.Count == 0, $"after killing {victim.Name}, through {survivor.Name}: {KeyValues.FirstLines(mismatches)}");
                }
                var writes = await KeyValues.WriteAsync(after, (k, v) => cluster.Client.SetAsync(k, v));
                Assert.True(writes.Count == 0, $"writes at the default consistency (W=2) with {victim.Name} dead failed: {KeyValues.FirstLines(writes)}");
            }

            // DOWN is watched from the moment of the kill, while the survivors are exercised.
            var listedDown = ListedDownAsync();
            await Task.WhenAll(listedDown, SurvivorsServeAsync());
            var downAt = await listedDown;
            Assert.True(downAt < cluster.DownDeadline,
                $"{victim.Name} was listed DOWN {downAt.TotalSeconds:0.0} s after the kill; expected within " +
                $"{cluster.DownDeadline.TotalSeconds:0.0} s (failure timeout {cluster.FailureTimeout.TotalSeconds:0} s)");
            var nodes = await cluster.ListNodesAsync();
            Assert.All(survivors, s => Assert.True(nodes.Single(n => n.Id == s.Name).IsUp, $"survivor {s.Name} is not UP: {string.Join("; ", nodes)}"));

            var all = before.Concat(after).ToDictionary();
            var final = await KeyValues.MismatchesAsync(all, cluster.Client.GetAsync);
            Assert.True(final.Count == 0, $"after {victim.Name} was marked DOWN, through RingKvClient: {KeyValues.FirstLines(final)}");
        });
    }

    [Fact]
    public async Task TwoOfThreeKilled_ReadAtOneOnSurvivor_ReturnsValuesWhileQuorumWritesFailWithNoReplicas()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var pairs = KeyValues.Make("two-dead", 100);
            var failures = await KeyValues.WriteAsync(pairs, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes with all nodes up failed: {KeyValues.FirstLines(failures)}");
            // Precondition, not the behaviour under test: an acknowledged write is only promised on W = 2 nodes, so a
            // lone survivor can only hold every key once the third copies have landed.
            await Eventually.TrueAsync(async () => (await Task.WhenAll(pairs.Select(p => cluster.LocalCopiesAsync(p.Key, p.Value)))).All(c => c == 3),
                TimeSpan.FromSeconds(10), "every key has its 3 copies");

            var survivor = cluster.Nodes[0];
            cluster.Nodes[1].Kill();
            cluster.Nodes[2].Kill();

            await using var atOne = await ClusterFixture.ConnectAsync(survivor);
            var set = await atOne.ExecuteAsync("CONSISTENCY", "ONE");
            Assert.True(set.AsString() == "OK", $"CONSISTENCY ONE answered {set}");
            var mismatches = await KeyValues.MismatchesAsync(pairs, atOne.GetAsync);
            Assert.True(mismatches.Count == 0, $"reads at ONE through the survivor {survivor.Name}: {KeyValues.FirstLines(mismatches)}");

            await using var atQuorum = await ClusterFixture.ConnectAsync(survivor);
            var refused = await atQuorum.ExecuteAsync("SET", "two-dead:new", "value");
            Assert.True(refused.IsError, $"a QUORUM write with 2 of 3 nodes dead answered {refused} instead of an error");
            var message = refused.AsString() ?? "";
            Assert.StartsWith("NOREPLICAS", message, StringComparison.Ordinal);
            Assert.Contains("replicas", message, StringComparison.Ordinal);

            var thrown = await Assert.ThrowsAsync<RingKvException>(() => cluster.Client.SetAsync("two-dead:client", "value"));
            Assert.StartsWith("NOREPLICAS", thrown.Message, StringComparison.Ordinal);
        });
    }
}
