using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// A node that was down while keys changed comes back with its data and is caught up by hinted handoff: its own
/// copies end up newest, and what was deleted meanwhile stays deleted.
/// </summary>
public sealed class HintedHandoffTests(ITestOutputHelper output)
{
    private const int KeyCount = 5_000;
    private const int OverwriteCount = 2_000;
    private const int DeleteCount = 1_000;
    private const int UntouchedCount = 500;

    // Deletes start inside the overwritten range: half the deleted keys were overwritten twice while the node was
    // down, half once. Every one of them existed on the node before it died.
    private const int FirstDeleted = OverwriteCount - DeleteCount / 2;

    private static readonly TimeSpan CopiesTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HandoffTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task NodeDownDuringWrites_AfterRestartAndCatchUp_ItsLocalCopiesAreNewest()
    {
        await using var cluster = await ClusterFixture.StartAsync(failureTimeout: ClusterFixture.FastFailureTimeout);
        await cluster.VerifyAsync(async () =>
        {
            var victim = cluster.Nodes[1];
            var survivors = cluster.Nodes.Where(n => n != victim).ToList();
            var keys = Enumerable.Range(0, KeyCount).Select(i => $"handoff:{i}").ToList();
            var original = keys.ToDictionary(k => k, k => $"{k}-v0");
            var untouched = KeyValues.Make("handoff-untouched", UntouchedCount);

            var failures = await KeyValues.WriteAsync(original.Concat(untouched).ToDictionary(), (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"writes with all nodes up failed: {KeyValues.FirstLines(failures)}");
            // Precondition: the node holds the version every later write must replace (W = 2 acknowledged it, the
            // third copy may still have been in flight).
            await cluster.WaitUntilHeldAsync(victim, original.Concat(untouched).ToDictionary(), CopiesTimeout);

            victim.Kill();
            await cluster.WaitForStateAsync(victim, "DOWN", cluster.DownDeadline);
            await cluster.WaitForConvergenceAsync();

            var rewritten = keys.ToDictionary(k => k, k => $"{k}-v1");
            var overwritten = keys.Take(OverwriteCount).ToDictionary(k => k, k => $"{k}-v2");
            var deleted = keys.Skip(FirstDeleted).Take(DeleteCount).ToList();
            // Through RingKvClient, whose map shows the node DOWN: each write goes straight to a survivor acting as
            // the key's primary, which hints the dead replica. (Writing round robin through both survivors' own
            // endpoints hits the forwarding stall ForwardingTests pins down, which is not what this test is about.)
            failures = await KeyValues.WriteAsync(rewritten, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"rewrites through the survivors failed: {KeyValues.FirstLines(failures)}");
            failures = await KeyValues.WriteAsync(overwritten, (k, v) => cluster.Client.SetAsync(k, v));
            Assert.True(failures.Count == 0, $"overwrites through the survivors failed: {KeyValues.FirstLines(failures)}");
            failures = await KeyValues.DeleteAllAsync(deleted, async k => (await cluster.Client.ExecuteAsync(k, "DEL", k)).Integer);
            Assert.True(failures.Count == 0, $"deletes through the survivors failed: {KeyValues.FirstLines(failures)}");
            var outageWrites = rewritten.Count + overwritten.Count + deleted.Count;

            var hintsBefore = await Task.WhenAll(survivors.Select(cluster.HintsAsync));
            output.WriteLine($"{outageWrites} writes while {victim.Name} was down; survivors' hints before its restart: " +
                string.Join("; ", survivors.Zip(hintsBefore, (s, h) => $"{s.Name} {h}")));
            // Every key has the victim among its N = 3 replicas, so every write of the outage must have left a hint.
            Assert.True(hintsBefore.Sum(h => h.Pending) >= outageWrites,
                $"the survivors hold {hintsBefore.Sum(h => h.Pending)} hints for {victim.Name}; expected one per write of the outage ({outageWrites})");

            var restarted = await cluster.RestartNodeAsync(victim);
            await cluster.WaitForStateAsync(restarted, "UP", RejoinTimeout);
            await cluster.WaitForConvergenceAsync();
            var handoff = await cluster.WaitForHintsDeliveredAsync(HandoffTimeout);
            var hintsAfter = await Task.WhenAll(cluster.Nodes.Select(cluster.HintsAsync));
            output.WriteLine($"hints delivered within {handoff.TotalSeconds:0.0} s of convergence: " +
                string.Join("; ", cluster.Nodes.Zip(hintsAfter, (n, h) => $"{n.Name} {h}")));
            Assert.True(hintsAfter.All(h => h.Dropped == 0), $"hints were dropped: {string.Join("; ", hintsAfter)}");

            var expected = rewritten.Concat(untouched).ToDictionary();
            foreach (var (key, value) in overwritten)
            {
                expected[key] = value;
            }
            foreach (var key in deleted)
            {
                expected.Remove(key);
            }

            // Nothing has read through the cluster since the restart, so no read repair helped: this is the handoff.
            var stale = await KeyValues.MismatchesAsync(expected, key => cluster.LocalGetAsync(restarted, key));
            var resurrected = await KeyValues.StillPresentAsync(deleted, key => cluster.LocalGetAsync(restarted, key));
            output.WriteLine($"{restarted.Name} local copies: {expected.Count} live keys checked, stale {stale.Count}; " +
                $"{deleted.Count} deleted keys checked, resurrected {resurrected.Count}");
            Assert.True(stale.Count == 0, $"RKV.LOCALGET on the restarted {restarted.Name} is not the newest value: {KeyValues.FirstLines(stale)}");
            Assert.True(resurrected.Count == 0, $"keys deleted while {restarted.Name} was down are live on it again (RKV.LOCALGET): {KeyValues.FirstLines(resurrected)}");

            await using var atOne = await ClusterFixture.ConnectAsync(restarted);
            var level = await atOne.ExecuteAsync("CONSISTENCY", "ONE");
            Assert.True(level.AsString() == "OK", $"CONSISTENCY ONE answered {level}");
            var staleAtOne = await KeyValues.MismatchesAsync(expected, atOne.GetAsync);
            var resurrectedAtOne = await KeyValues.StillPresentAsync(deleted, atOne.GetAsync);
            Assert.True(staleAtOne.Count == 0, $"GET at ONE through {restarted.Name}: {KeyValues.FirstLines(staleAtOne)}");
            Assert.True(resurrectedAtOne.Count == 0, $"GET at ONE through {restarted.Name} returns deleted keys: {KeyValues.FirstLines(resurrectedAtOne)}");
        });
    }
}
