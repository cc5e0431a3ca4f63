using System.Globalization;
using System.Text;
using RingKV.Cluster.Map;
using RingKV.Node.Replication;
using RingKV.Node.Routing;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Storage;

namespace RingKV.Node.Rebalancing;

/// <summary>A peer did not answer (or answered nonsense) while slots were copied from it; the copy is retried later.</summary>
public sealed class PeerUnavailableException(string message) : Exception(message);

/// <summary>
/// Pulls slots from one peer into this node: the one mechanism behind joins, leaves, removals and repair.
/// </summary>
/// <remarks>
/// <para>
/// The peer lists its (key, version) pairs page by page (RKV.VERSIONS); this node keeps the keys where the peer's
/// version is newer or its own copy missing, fetches only those records (RKV.MREAD) and merges them like any
/// replicated write, so a concurrent newer write always wins and copying twice changes nothing.
/// </para>
/// <para>
/// With digests, the slots are first compared by their digest (RKV.DIGEST, one hash per slot) and only the slots
/// that differ are listed: a two-level hash tree of slot → keys. That is how a second source is checked after the
/// first copied everything, and how anti-entropy exchanges only what differs.
/// </para>
/// </remarks>
public sealed class SlotCopier(Replicator replicator, TransferThrottle throttle, TimeSpan tombstoneGrace)
{
    private const int VersionsPerPage = 2000;
    private const int KeysPerRead = 256;

    private long _keysPulled;
    private long _bytesPulled;

    private static readonly byte[] s_digest = "RKV.DIGEST"u8.ToArray();
    private static readonly byte[] s_versions = "RKV.VERSIONS"u8.ToArray();
    private static readonly byte[] s_pull = "RKV.PULL"u8.ToArray();
    private static readonly byte[] s_multiRead = "RKV.MREAD"u8.ToArray();

    /// <summary>
    /// Makes this node's copy of <paramref name="slots"/> at least as new as <paramref name="source"/>'s. Without
    /// digests the records come in the listing itself (RKV.PULL): the case of a gainer that holds almost nothing
    /// yet, where asking for versions first would only add a round trip and a read per key on the source.
    /// </summary>
    /// <exception cref="PeerUnavailableException">The peer failed; what was copied so far stays.</exception>
    public async Task<CopyResult> PullAsync(NodeEntry source, SlotSet slots, bool compareDigests, CancellationToken cancellation)
    {
        var result = new CopyResult { Peers = 1, SlotsCompared = slots.Count };
        try
        {
            return await PullAsync(source, slots, compareDigests, result, cancellation);
        }
        finally
        {
            // Counted even when the copy stops half way: what was pulled was applied.
            Interlocked.Add(ref _keysPulled, result.KeysPulled);
            Interlocked.Add(ref _bytesPulled, result.BytesPulled);
        }
    }

    /// <summary>Keys this node has pulled from peers since start, for joins, leaves, removals and repair alike.</summary>
    public long KeysPulled => Interlocked.Read(ref _keysPulled);

    public long BytesPulled => Interlocked.Read(ref _bytesPulled);

    private async Task<CopyResult> PullAsync(NodeEntry source, SlotSet slots, bool compareDigests, CopyResult result, CancellationToken cancellation)
    {
        if (compareDigests)
        {
            slots = await DifferingSlotsAsync(source, slots);
        }
        result.SlotsDiffering = slots.Count;
        if (slots.IsEmpty)
        {
            return result;
        }
        var slotArg = Encoding.ASCII.GetBytes(slots.ToString());
        var from = slots.First();
        byte[]? after = null;
        while (from >= 0)
        {
            cancellation.ThrowIfCancellationRequested();
            var page = await CallAsync(source, [compareDigests ? s_versions : s_pull, slotArg, Number(from),
                after is null ? "0"u8.ToArray() : "1"u8.ToArray(), after ?? [], Number(VersionsPerPage)]);
            if (page.Items.Count < 2 || (page.Items.Count - 2) % 3 != 0)
            {
                throw new PeerUnavailableException($"{source.Id} sent a malformed RKV.VERSIONS page");
            }
            var wanted = new List<(int Slot, byte[] Key)>();
            long pulled = 0;
            for (var i = 2; i < page.Items.Count; i += 3)
            {
                var slot = (int)page.Items[i].Integer;
                var key = page.Items[i + 1].Bytes ?? [];
                var payload = page.Items[i + 2].Bytes ?? [];
                if (!compareDigests)
                {
                    pulled += key.Length + payload.Length;
                    result.KeysPulled += replicator.ApplyReplica(slot, key, RecordCodec.Decode(payload)) == ApplyResult.Applied ? 1 : 0;
                }
                else if (replicator.LocalGet(slot, key) is not { } mine || mine.Version < SlotRecords.ReadVersion(payload))
                {
                    wanted.Add((slot, key));
                }
            }
            result.BytesPulled += pulled;
            await throttle.AccountAsync(pulled, cancellation);
            await FetchAsync(source, wanted, result, cancellation);
            from = (int)page.Items[0].Integer;
            after = page.Items[1].IsNull ? null : page.Items[1].Bytes ?? [];
        }
        return result;
    }

    private async Task<SlotSet> DifferingSlotsAsync(NodeEntry source, SlotSet slots)
    {
        var reply = await CallAsync(source, [s_digest, Encoding.ASCII.GetBytes(slots.ToString())]);
        var theirs = new Dictionary<int, ulong>();
        for (var i = 0; i + 1 < reply.Items.Count; i += 2)
        {
            theirs[(int)reply.Items[i].Integer] = unchecked((ulong)reply.Items[i + 1].Integer);
        }
        var cutoff = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)tombstoneGrace.TotalMilliseconds;
        var store = replicator.Store;
        return await Task.Run(() => SlotSet.Of(slots.Where(slot => SlotRecords.Digest(store, slot, cutoff) != theirs.GetValueOrDefault(slot))));
    }

    private async Task FetchAsync(NodeEntry source, List<(int Slot, byte[] Key)> wanted, CopyResult result, CancellationToken cancellation)
    {
        var next = 0;
        while (next < wanted.Count)
        {
            var batch = wanted.Skip(next).Take(KeysPerRead).ToList();
            var args = new ReadOnlyMemory<byte>[1 + (batch.Count * 2)];
            args[0] = s_multiRead;
            for (var i = 0; i < batch.Count; i++)
            {
                args[1 + (2 * i)] = Number(batch[i].Slot);
                args[2 + (2 * i)] = batch[i].Key;
            }
            var reply = await CallAsync(source, args);
            if (reply.Items.Count == 0 || reply.Items.Count > batch.Count)
            {
                throw new PeerUnavailableException($"{source.Id} sent a malformed RKV.MREAD reply");
            }
            long bytes = 0;
            for (var i = 0; i < reply.Items.Count; i++)
            {
                if (reply.Items[i].IsNull)
                {
                    continue; // Purged or dropped since it was listed: nothing to copy.
                }
                var encoded = reply.Items[i].Bytes ?? [];
                bytes += batch[i].Key.Length + encoded.Length;
                if (replicator.ApplyReplica(batch[i].Slot, batch[i].Key, RecordCodec.Decode(encoded)) == ApplyResult.Applied)
                {
                    result.KeysPulled++;
                }
            }
            result.BytesPulled += bytes;
            next += reply.Items.Count;
            await throttle.AccountAsync(bytes, cancellation);
        }
    }

    private async Task<RespValue> CallAsync(NodeEntry source, ReadOnlyMemory<byte>[] args)
    {
        var reply = await replicator.Peers.CallAsync(source, args, PeerTraffic.Streaming);
        if (reply is null || reply.IsError)
        {
            throw new PeerUnavailableException($"{source.Id} did not answer {Encoding.ASCII.GetString(args[0].Span)}: {reply?.AsString() ?? "unreachable"}");
        }
        return reply;
    }

    private static byte[] Number(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
