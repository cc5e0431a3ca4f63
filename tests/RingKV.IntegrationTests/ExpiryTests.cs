using System.Diagnostics;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests;

/// <summary>
/// Keys with a time to live vanish from every view on every node once it passes, PERSIST keeps a key, and a node
/// that slept through an expiry does not bring the key back.
/// </summary>
public sealed class ExpiryTests(ITestOutputHelper output)
{
    private const int PlainCount = 10;
    private const int PersistedCount = 10;
    private const int ExpiringCount = 50;
    private const int ExpiredWhileDownCount = 20;
    private const int ShortenedWhileDownCount = 20;

    // Long enough to check that the node about to die holds these keys before it dies (a few milliseconds of
    // RKV.LOCALGET), short enough that they expire soon after.
    private const int ExpiredWhileDownMs = 4_000;

    private static readonly TimeSpan ExpiryTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CopiesTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HandoffTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ttl_KeysExpireEverywhere_PersistKeepsThem_DownNodeDoesNotResurrect()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await cluster.VerifyAsync(async () =>
        {
            var client = cluster.Client;
            var plain = KeyValues.Make("plain", PlainCount);
            var persisted = KeyValues.Make("persisted", PersistedCount);
            var expiring = KeyValues.Make("expiring", ExpiringCount);
            // Plain until the victim is down, then given a short expiry through the survivors only.
            var shortened = KeyValues.Make("shortened", ShortenedWhileDownCount);
            var expiredWhileDown = KeyValues.Make("expired-while-down", ExpiredWhileDownCount);

            await WriteAllAsync(plain.Concat(shortened), (k, v) => client.SetAsync(k, v));
            // Persisted before the expiring keys are written: once those have expired, so has the persisted keys'
            // original expiry (same length, set earlier), which proves PERSIST removed it.
            await WriteAllAsync(persisted, async (k, v) =>
            {
                await client.ExecuteAsync(k, "SET", k, v, "EX", "1");
                var removed = await client.ExecuteAsync(k, "PERSIST", k);
                Assert.True(removed.Integer == 1, $"PERSIST {k} right after SET EX 1 answered {removed}, expected 1");
            });
            await WriteAllAsync(expiring, (k, v) => client.SetAsync(k, v, TimeSpan.FromMilliseconds(1000)));
            foreach (var key in expiring.Keys)
            {
                // -2 is allowed: on a slow machine the key may already be gone. -1 would mean PX was ignored.
                var pttl = (await client.ExecuteAsync(key, "PTTL", key)).Integer;
                Assert.True(pttl is (> 0 and <= 1000) or (-2), $"PTTL {key} right after SET PX 1000 answered {pttl}");
            }

            var expiredAfter = await Eventually.TrueAsync(async () => (await KeyValues.StillPresentAsync(expiring.Keys, client.GetAsync)).Count == 0,
                ExpiryTimeout, "GET answers nil for every key set with PX 1000");
            output.WriteLine($"{ExpiringCount} keys with PX 1000 read nil {expiredAfter.TotalMilliseconds:0} ms after the PTTL checks");

            var expiringKeys = expiring.Keys.ToArray();
            var kept = plain.Concat(shortened).Concat(persisted).ToDictionary();
            foreach (var node in cluster.Nodes)
            {
                // Precondition for exact counts: the third copy of each kept key has landed.
                await cluster.WaitUntilHeldAsync(node, kept, CopiesTimeout);
                await AssertGoneOnNodeAsync(cluster, node, expiringKeys, kept.Count);
            }
            foreach (var key in expiringKeys)
            {
                var ttl = await client.ExecuteAsync(key, "TTL", key);
                Assert.True(ttl.Integer == -2, $"TTL {key} after its expiry answered {ttl}, expected -2");
            }
            var persistedMismatches = await KeyValues.MismatchesAsync(persisted, client.GetAsync);
            Assert.True(persistedMismatches.Count == 0, $"persisted keys after their original expiry: {KeyValues.FirstLines(persistedMismatches)}");
            foreach (var key in persisted.Keys)
            {
                var ttl = await client.ExecuteAsync(key, "TTL", key);
                Assert.True(ttl.Integer == -1, $"TTL {key} after PERSIST answered {ttl}, expected -1");
            }

            // A node dies holding keys that expire (or get an expiry) while it is down, and comes back afterwards.
            var victim = cluster.Nodes[2];
            var sinceExpiringWrites = Stopwatch.StartNew();
            await WriteAllAsync(expiredWhileDown, (k, v) => client.SetAsync(k, v, TimeSpan.FromMilliseconds(ExpiredWhileDownMs)));
            await cluster.WaitUntilHeldAsync(victim, expiredWhileDown.Concat(shortened).ToDictionary(), CopiesTimeout);
            victim.Kill();
            Assert.True(sinceExpiringWrites.ElapsedMilliseconds < ExpiredWhileDownMs,
                $"precondition: {victim.Name} was killed {sinceExpiringWrites.ElapsedMilliseconds} ms after the PX {ExpiredWhileDownMs} writes, after their expiry");
            await WriteAllAsync(shortened, async (k, _) =>
            {
                var set = await client.ExecuteAsync(k, "PEXPIRE", k, "1000");
                Assert.True(set.Integer == 1, $"PEXPIRE {k} 1000 with {victim.Name} down answered {set}, expected 1");
            });
            var doomed = expiredWhileDown.Keys.Concat(shortened.Keys).ToArray();
            await Eventually.TrueAsync(async () => (await KeyValues.StillPresentAsync(doomed, client.GetAsync)).Count == 0,
                ExpiryTimeout, $"GET through the survivors answers nil for every key that expires while {victim.Name} is down");

            var restarted = await cluster.RestartNodeAsync(victim);
            await cluster.WaitForConvergenceAsync();
            // Its own copies of these expired on its own clock while it was down: no hint needed, none read yet.
            var resurrected = await KeyValues.StillPresentAsync(expiredWhileDown.Keys, key => cluster.LocalGetAsync(restarted, key));
            Assert.True(resurrected.Count == 0, $"RKV.LOCALGET on the restarted {restarted.Name} right after its restart: {KeyValues.FirstLines(resurrected)}");

            // The shortened keys' expiry reached the restarted node as hints; until they are in, its copies are older.
            await cluster.WaitForHintsDeliveredAsync(HandoffTimeout);
            await AssertGoneOnNodeAsync(cluster, restarted, doomed, PlainCount + PersistedCount);
            await using var viaRestarted = await ClusterFixture.ConnectAsync(restarted);
            var throughQuorum = await KeyValues.StillPresentAsync(doomed, viaRestarted.GetAsync);
            Assert.True(throughQuorum.Count == 0, $"GET through the restarted {restarted.Name}: {KeyValues.FirstLines(throughQuorum)}");
            var level = await viaRestarted.ExecuteAsync("CONSISTENCY", "ONE");
            Assert.True(level.AsString() == "OK", $"CONSISTENCY ONE answered {level}");
            var throughOne = await KeyValues.StillPresentAsync(doomed, viaRestarted.GetAsync);
            Assert.True(throughOne.Count == 0, $"GET at ONE through the restarted {restarted.Name}: {KeyValues.FirstLines(throughOne)}");
            output.WriteLine($"{doomed.Length} keys expired while {restarted.Name} was down; after its restart none is live on it");
        });
    }

    /// <summary>
    /// Every view of <paramref name="node"/> shows <paramref name="keys"/> gone (RKV.LOCALGET, EXISTS, MGET through
    /// it) and its DBSIZE and RKV.LOCALCOUNT count exactly the <paramref name="live"/> keys left.
    /// </summary>
    private static async Task AssertGoneOnNodeAsync(ClusterFixture cluster, ManagedProcess node, string[] keys, int live)
    {
        var present = await KeyValues.StillPresentAsync(keys, key => cluster.LocalGetAsync(node, key));
        Assert.True(present.Count == 0, $"RKV.LOCALGET on {node.Name} after the expiry: {KeyValues.FirstLines(present)}");

        var endpoint = ClusterFixture.EndpointOf(node);
        var exists = await cluster.Client.ExecuteOnAsync(endpoint, ["EXISTS", .. keys]);
        Assert.True(exists.Integer == 0 && !exists.IsError, $"EXISTS of the {keys.Length} expired keys through {node.Name} answered {exists}, expected 0");
        var values = await cluster.Client.ExecuteOnAsync(endpoint, ["MGET", .. keys]);
        Assert.False(values.IsError, $"MGET through {node.Name} answered {values}");
        var notNil = keys.Zip(values.Items).Where(p => !p.Second.IsNull).Select(p => $"{p.First}: {p.Second}").ToList();
        Assert.True(values.Items.Count == keys.Length && notNil.Count == 0,
            $"MGET of the expired keys through {node.Name} ({values.Items.Count} items): {KeyValues.FirstLines(notNil)}");

        var dbSize = await cluster.IntegerOnAsync(node, "DBSIZE");
        var localCount = await cluster.IntegerOnAsync(node, "RKV.LOCALCOUNT");
        Assert.True(dbSize == live && localCount == live,
            $"{node.Name} counts DBSIZE {dbSize}, RKV.LOCALCOUNT {localCount}; expected {live} (expired keys excluded)");
    }

    private static async Task WriteAllAsync(IEnumerable<KeyValuePair<string, string>> pairs, Func<string, string, Task> write)
    {
        var failures = await KeyValues.WriteAsync(pairs.ToDictionary(), write);
        Assert.True(failures.Count == 0, $"writes failed: {KeyValues.FirstLines(failures)}");
    }
}
