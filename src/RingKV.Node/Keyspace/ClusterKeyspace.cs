using RingKV.Cluster.Map;
using RingKV.Node.Membership;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Keyspace;

/// <summary>
/// The commands that see the whole keyspace (SCAN, KEYS, RANDOMKEY, DBSIZE, FLUSHALL) answered for the whole
/// cluster from any node: each slot is asked of the node acting as its primary, the first reachable node of its
/// preference list, exactly the node a key command on that slot would go to.
/// </summary>
/// <remarks>
/// <para>
/// One slot, one answer: a key is reported by one node only, so counts are not multiplied by the replication
/// factor and listings have no duplicates. The primary answers from its own copy, which holds every write it
/// acknowledged while it was primary; right after a failover the new primary may lack a write until hints or
/// repair deliver it, as with a read at consistency ONE.
/// </para>
/// <para>
/// SCAN's cursor is a slot number: each call returns the keys of whole slots in ascending slot order, and the next
/// cursor is the first slot not yet returned (0 when done). So a key present for the whole iteration is returned
/// exactly once, even across ring changes, which is stronger than Redis' at-least-once; a slot is never split over
/// two replies, so one slot holding a great many keys (one hash tag) comes back in one reply.
/// </para>
/// </remarks>
public sealed class ClusterKeyspace(NodeOptions options, ClusterAgent agent, Replicator replicator, Func<long> nowMs)
{
    /// <summary>How far past the cursor one SCAN round plans (slots), bounding a round's work on sparse keyspaces.</summary>
    private const int ScanWindow = 2048;

    /// <summary>SCAN rounds per call before an (empty or short) page is returned anyway.</summary>
    private const int MaxScanRounds = 8;

    private static readonly ReadOnlyMemory<byte> s_scanSlots = "RKV.SCANSLOTS"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_countSlots = "RKV.COUNTSLOTS"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_clock = "RKV.CLOCK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_flush = "RKV.FLUSH"u8.ToArray();
    private static readonly byte[] s_matchAll = "*"u8.ToArray();

    // ---- What this node answers for the slots a peer (or itself) asks about ----

    /// <summary>
    /// Live keys of <paramref name="slots"/> matching <paramref name="pattern"/>, whole slots in ascending order,
    /// stopping after the slot at which <paramref name="count"/> keys are reached.
    /// </summary>
    public SlotScan ScanLocal(SlotSet slots, long count, ReadOnlySpan<byte> pattern)
    {
        var now = nowMs();
        var keys = new List<byte[]>();
        var matchAll = pattern.SequenceEqual("*"u8);
        foreach (var slot in slots)
        {
            if (keys.Count >= count)
            {
                return new SlotScan(slot, keys);
            }
            foreach (var (key, record) in replicator.Store.ScanSlot(slot))
            {
                if (record.IsLive(now) && (matchAll || GlobPattern.IsMatch(pattern, key)))
                {
                    keys.Add(key);
                }
            }
        }
        return new SlotScan(HashSlot.Count, keys);
    }

    public long CountLocal(SlotSet slots)
    {
        var now = nowMs();
        return slots.Sum(slot => replicator.Store.CountLiveInSlot(slot, now));
    }

    /// <summary>This node's hybrid logical clock now (FLUSHALL's first phase).</summary>
    public ulong ClockNow() => replicator.Clock.Now();

    /// <summary>Removes every record and queued hint of this node, and refuses late copies of them (see <see cref="Replicator.Flush"/>).</summary>
    public void FlushLocal(ulong horizon) => replicator.Flush(horizon);

    // ---- Cluster-wide, from the node the client talks to ----

    /// <summary>One SCAN call: keys of whole slots from <paramref name="cursor"/> on, and the next cursor (0 at the end).</summary>
    /// <exception cref="KeyspaceUnavailableException">Some slot has no reachable replica.</exception>
    public async Task<(int Cursor, List<byte[]> Keys)> ScanAsync(int cursor, long count, byte[] pattern)
    {
        var keys = new List<byte[]>();
        for (var round = 0; round < MaxScanRounds && cursor < HashSlot.Count && keys.Count < count; round++)
        {
            var window = SlotSet.Where(s => s >= cursor && s < cursor + ScanWindow);
            var answers = await AskPrimariesAsync(window, slots => ScanFrame(slots, count - keys.Count, pattern),
                slots => ScanLocal(slots, count - keys.Count, pattern), SlotScan.FromResp);
            // Each node stopped after whole slots; the page ends where the first of them stopped, so that every slot
            // below the new cursor was fully reported and none above it was reported at all.
            var next = Math.Min(answers.Min(a => a.Answer.Next), cursor + ScanWindow);
            keys.AddRange(answers.SelectMany(a => a.Answer.Keys).Where(k => HashSlot.ForKey(k) < next));
            cursor = next;
        }
        return (cursor >= HashSlot.Count ? 0 : cursor, keys);
    }

    /// <summary>KEYS: every live key matching <paramref name="pattern"/>, one request per primary.</summary>
    public async Task<List<byte[]>> KeysAsync(byte[] pattern)
    {
        var answers = await AskPrimariesAsync(SlotSet.All, slots => ScanFrame(slots, long.MaxValue, pattern),
            slots => ScanLocal(slots, long.MaxValue, pattern), SlotScan.FromResp);
        return answers.SelectMany(a => a.Answer.Keys).ToList();
    }

    /// <summary>
    /// RANDOMKEY: a key of the first non-empty slot at or after a random slot, wrapping around; null when the
    /// cluster is empty. Slots are equally likely starts, so keys are only roughly uniform (as in Redis, whose pick
    /// is biased by its hash table's buckets).
    /// </summary>
    public async Task<byte[]?> RandomKeyAsync()
    {
        var start = Random.Shared.Next(HashSlot.Count);
        foreach (var from in new[] { start, 0 })
        {
            var cursor = from;
            do
            {
                var (next, keys) = await ScanAsync(cursor, 1, s_matchAll);
                if (keys.Count > 0)
                {
                    return keys[Random.Shared.Next(keys.Count)];
                }
                cursor = next;
            }
            while (cursor != 0 && (from == start || cursor < start));
        }
        return null;
    }

    /// <summary>DBSIZE: live keys in the cluster, each counted once (by its slot's primary).</summary>
    public async Task<long> CountAsync()
    {
        var answers = await AskPrimariesAsync(SlotSet.All, slots => [s_countSlots, Text(slots.ToString())],
            CountLocal, reply => (reply.Type == RespType.Integer, reply.Integer));
        return answers.Sum(a => a.Answer);
    }

    /// <summary>
    /// FLUSHALL, in two phases. First every node reports its clock; the highest is the flush horizon, so every write
    /// acknowledged before FLUSHALL began has a version at or below it (it was stamped by some node's clock before
    /// that node answered). Then every node deletes everything, refuses late copies stamped at or below the
    /// horizon, and moves its clock past it. Writes concurrent with the flush may survive it, as in Redis.
    /// Refused before anything is deleted when a node is unreachable: a node that kept its data would hand it back
    /// through repair.
    /// </summary>
    /// <returns>Null on success, else the error text.</returns>
    public async Task<string?> FlushAsync()
    {
        var nodes = agent.Map.Nodes;
        var unreachable = nodes.Where(n => n.Id != options.Id && !replicator.IsAvailable(n)).Select(n => n.Id).ToList();
        if (unreachable.Count > 0)
        {
            return $"CLUSTERDOWN FLUSHALL needs every node; unreachable: {string.Join(", ", unreachable)}";
        }
        var clocks = await Task.WhenAll(nodes.Select(async node =>
        {
            if (node.Id == options.Id)
            {
                return (long)ClockNow();
            }
            var reply = await replicator.Peers.CallAsync(node, [s_clock], PeerTraffic.Streaming);
            return reply is { Type: RespType.Integer } ? reply.Integer : -1;
        }));
        if (clocks.Any(c => c < 0))
        {
            return "CLUSTERDOWN FLUSHALL could not read every node's clock; nothing was flushed";
        }
        var horizon = (ulong)clocks.Max();
        var results = await Task.WhenAll(nodes.Select(async node =>
        {
            if (node.Id == options.Id)
            {
                FlushLocal(horizon);
                return null;
            }
            var reply = await replicator.Peers.CallAsync(node, [s_flush, Text(horizon.ToString(System.Globalization.CultureInfo.InvariantCulture))], PeerTraffic.Streaming);
            return reply is { Type: RespType.SimpleString } ? null : node.Id;
        }));
        var failed = results.Where(id => id is not null).ToList();
        return failed.Count == 0 ? null : $"CLUSTERDOWN FLUSHALL did not reach: {string.Join(", ", failed)} (other nodes were flushed)";
    }

    /// <summary>
    /// Asks each slot of <paramref name="slots"/> of its acting primary, all primaries at once; a node that fails
    /// is skipped and its slots asked of their next replica, until every slot has an answer.
    /// </summary>
    /// <exception cref="KeyspaceUnavailableException">Some slot has no replica left to ask.</exception>
    private async Task<List<(SlotSet Slots, T Answer)>> AskPrimariesAsync<T>(
        SlotSet slots, Func<SlotSet, ReadOnlyMemory<byte>[]> frame, Func<SlotSet, T> local, Func<RespValue, (bool Ok, T Value)> decode)
    {
        var map = agent.Map;
        var failed = new HashSet<string>();
        var answers = new List<(SlotSet, T)>();
        var pending = slots;
        while (!pending.IsEmpty)
        {
            var plan = new Dictionary<string, (NodeEntry Node, List<int> Slots)>();
            foreach (var slot in pending)
            {
                var target = InTryOrder(map.PreferenceList(slot)).FirstOrDefault(n => !failed.Contains(n.Id))
                    ?? throw new KeyspaceUnavailableException($"CLUSTERDOWN No replica of slot {slot} is reachable");
                if (!plan.TryGetValue(target.Id, out var entry))
                {
                    plan[target.Id] = entry = (target, []);
                }
                entry.Slots.Add(slot);
            }
            var round = await Task.WhenAll(plan.Values.Select(async p =>
            {
                var set = SlotSet.Of(p.Slots);
                if (p.Node.Id == options.Id)
                {
                    return (p.Node, set, Answer: local(set), Ok: true);
                }
                var reply = await replicator.Peers.CallAsync(p.Node, frame(set), PeerTraffic.Streaming);
                var (ok, answer) = reply is null || reply.IsError ? (false, default!) : decode(reply);
                return (p.Node, set, Answer: answer, Ok: ok);
            }));
            pending = SlotSet.Empty;
            foreach (var (node, set, answer, ok) in round)
            {
                if (ok)
                {
                    answers.Add((set, answer));
                }
                else
                {
                    failed.Add(node.Id);
                    pending = pending.Union(set);
                }
            }
        }
        return answers;
    }

    /// <summary>The order <see cref="KeyRouter"/> tries replicas in: reachable ones first, in list order.</summary>
    private IEnumerable<NodeEntry> InTryOrder(NodeEntry[] replicas) =>
        replicas.Where(replicator.IsAvailable).Concat(replicas.Where(n => !replicator.IsAvailable(n)));

    private static ReadOnlyMemory<byte>[] ScanFrame(SlotSet slots, long count, byte[] pattern) =>
        [s_scanSlots, Text(slots.ToString()), Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture)), pattern];

    private static ReadOnlyMemory<byte> Text(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
