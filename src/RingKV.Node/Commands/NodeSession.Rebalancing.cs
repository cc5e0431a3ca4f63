using RingKV.Node.Rebalancing;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;
using RingKV.Storage;

namespace RingKV.Node.Commands;

// The commands other nodes use to copy slots from this one (rebalancing, repair), and REPAIR itself. The scans run
// on the thread pool: a digest of thousands of slots must never hold a socket thread.
public sealed partial class NodeSession
{
    /// <summary>Largest RKV.VERSIONS page a peer may ask for.</summary>
    private const int MaxVersionsPage = 10_000;

    /// <summary>RKV.MREAD stops adding records once its reply passes this size; the caller asks again for the rest.</summary>
    private const int MaxReadReplyBytes = 4 << 20;

    /// <summary>RKV.PULL ends a page once its records pass this size.</summary>
    private const int MaxPullReplyBytes = 1 << 20;

    private static bool IsSlotCopyCommand(RespCommand command) =>
        command is RespCommand.Digest or RespCommand.Versions or RespCommand.Pull or RespCommand.MultiRead or RespCommand.Repair or RespCommand.LocalDelete;

    private ValueTask ExecuteSlotCopyCommand(RespCommand command, RespRequest request)
    {
        switch (command)
        {
            case RespCommand.Digest when request.Count == 2 && TryParseSlots(request.GetString(1), out var slots):
                return DigestAsync(slots);
            case RespCommand.Versions or RespCommand.Pull when request.Count == 6:
                return PageAsync(request, withRecords: command == RespCommand.Pull);
            case RespCommand.MultiRead when request.Count >= 3 && request.Count % 2 == 1:
                return MultiReadAsync(request);
            case RespCommand.Repair when request.Count == 1:
                return RepairAsync();
            case RespCommand.LocalDelete when request.Count == 2:
                LocalDelete(request[1]);
                return ValueTask.CompletedTask;
            case RespCommand.Digest when request.Count == 2:
                return ValueTask.CompletedTask; // TryParseSlots wrote the error.
            default:
                WrongArity(request);
                return ValueTask.CompletedTask;
        }
    }

    private bool TryParseSlots(string text, out SlotSet slots)
    {
        try
        {
            slots = SlotSet.Parse(text);
            return true;
        }
        catch (FormatException ex)
        {
            Writer.WriteError("ERR " + ex.Message);
            slots = SlotSet.Empty;
            return false;
        }
    }

    private long PurgeCutoffMs => _node.Primary.NowMs - (long)_node.Options.TombstoneGrace.TotalMilliseconds;

    // RKV.DIGEST slots -> [slot, digest, slot, digest, ...] for the slots holding anything to compare.
    private async ValueTask DigestAsync(SlotSet slots)
    {
        var store = _node.Replicator.Store;
        var cutoff = PurgeCutoffMs;
        var digests = await Task.Run(() => slots.Select(slot => (Slot: slot, Digest: SlotRecords.Digest(store, slot, cutoff))).Where(d => d.Digest != 0).ToList());
        Writer.WriteArrayHeader(digests.Count * 2);
        foreach (var (slot, digest) in digests)
        {
            Writer.WriteInteger(slot);
            Writer.WriteInteger(unchecked((long)digest));
        }
    }

    // RKV.VERSIONS slots from-slot 0|1 after-key max -> [next-slot, next-after, (slot, key, version)...]; next-slot is
    // -1 after the last page. The 0|1 flag says whether after-key is set (an empty key is a valid key).
    // RKV.PULL: the same page with encoded records instead of versions, ending early past MaxPullReplyBytes; what a
    // node that holds (almost) nothing of the slots asks for, saving the second round trip of RKV.MREAD.
    private async ValueTask PageAsync(RespRequest request, bool withRecords)
    {
        if (!TryParseSlots(request.GetString(1), out var slots))
        {
            return;
        }
        if (!int.TryParse(request[2], out var from) || !int.TryParse(request[5], out var max) || max is < 1 or > MaxVersionsPage
            || request[3] is not [(byte)'0' or (byte)'1'])
        {
            Writer.WriteError("ERR usage: RKV.VERSIONS slots from-slot 0|1 after-key max(1..10000)"u8);
            return;
        }
        var after = request[3][0] == (byte)'1' ? request[4].ToArray() : null;
        var store = _node.Replicator.Store;
        var cutoff = PurgeCutoffMs;
        var (entries, nextSlot, nextAfter) = await Task.Run(() =>
            SlotRecords.Page(store, slots, from, after, max, cutoff, withRecords, withRecords ? MaxPullReplyBytes : long.MaxValue));
        Writer.WriteArrayHeader(2 + (entries.Count * 3));
        Writer.WriteInteger(nextSlot);
        if (nextAfter is null) { Writer.WriteNull(); }
        else { Writer.WriteBulkString(nextAfter); }
        Span<byte> version = stackalloc byte[SlotRecords.VersionLength];
        foreach (var entry in entries)
        {
            Writer.WriteInteger(entry.Slot);
            Writer.WriteBulkString(entry.Key);
            if (entry.Record is { } record)
            {
                Writer.WriteBulkString(RecordCodec.Encode(record));
            }
            else
            {
                SlotRecords.WriteVersion(entry.Version, version);
                Writer.WriteBulkString(version);
            }
        }
    }

    // RKV.MREAD slot key [slot key ...] -> encoded records (nil where missing), in order, stopping early once the
    // reply passes MaxReadReplyBytes: the caller asks again from the first key it did not get.
    private async ValueTask MultiReadAsync(RespRequest request)
    {
        var wanted = new List<(int Slot, byte[] Key)>((request.Count - 1) / 2);
        for (var i = 1; i < request.Count; i += 2)
        {
            if (!TryParseSlot(request[i], out var slot))
            {
                return;
            }
            wanted.Add((slot, request[i + 1].ToArray()));
        }
        var store = _node.Replicator.Store;
        var records = await Task.Run(() =>
        {
            var found = new List<byte[]?>(wanted.Count);
            var bytes = 0L;
            foreach (var (slot, key) in wanted)
            {
                if (bytes > MaxReadReplyBytes)
                {
                    break;
                }
                var encoded = store.TryGet(slot, key, out var record) ? RecordCodec.Encode(record) : null;
                bytes += key.Length + (encoded?.Length ?? 0);
                found.Add(encoded);
            }
            return found;
        });
        Writer.WriteArrayHeader(records.Count);
        foreach (var record in records)
        {
            if (record is null) { Writer.WriteNull(); }
            else { Writer.WriteBulkString(record); }
        }
    }

    // REPAIR: compare this node's slots with every peer sharing them and pull what differs, now.
    private async ValueTask RepairAsync()
    {
        var result = await _node.AntiEntropy.RepairAsync(CancellationToken.None);
        Writer.WriteBulkString(result.ToInfo());
    }

    // RKV.LOCALDEL key: removes this node's copy without a tombstone, as a lost write or a damaged disk would. For
    // testing repair; the other replicas are untouched and anti-entropy (or a quorum read that asks this node) brings
    // the key back.
    private void LocalDelete(ReadOnlySpan<byte> key)
    {
        var slot = HashSlot.ForKey(key);
        var record = _node.Replicator.LocalGet(slot, key);
        Writer.WriteInteger(record is not null && _node.Replicator.Store.RemoveIfVersion(slot, key, record.Version) ? 1 : 0);
    }
}
