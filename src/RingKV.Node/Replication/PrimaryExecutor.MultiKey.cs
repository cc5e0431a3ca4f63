using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;
using RingKV.Storage;

namespace RingKV.Node.Replication;

/// <summary>MSETNX, RENAME and RENAMENX: several keys of one slot, decided and written under all their locks.</summary>
/// <remarks>
/// Atomic towards every other command through this primary (no reader through it sees half a RENAME, no two
/// MSETNX both succeed), since every key involved is locked and the slot's keys all go through it. Towards
/// failures it is as a multi-key write can be without a log: if some copies fail, the error says so and the keys
/// that reached a quorum stay written, like an unacknowledged single-key write.
/// </remarks>
public sealed partial class PrimaryExecutor
{
    /// <summary>MSETNX k1 v1 k2 v2 …: sets all keys only when none exists; 1 or 0.</summary>
    private async ValueTask<KeyReply> MSetNxAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, Consistency read, Consistency write)
    {
        if (args.Count % 2 == 0)
        {
            return KeyReply.Error(KeyCommands.Get(RespCommand.MSetNx).WrongArityError);
        }
        if (StringArguments.SameSlot(args, 1, 2) is { } crossSlot)
        {
            return KeyReply.Error(crossSlot);
        }
        var keys = new byte[(args.Count - 1) / 2][];
        var values = new byte[keys.Length][];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = args[1 + 2 * i].ToArray();
            values[i] = args[2 + 2 * i].ToArray();
        }
        using (await locks.AcquireAllAsync(keys.Select(k => (ReadOnlyMemory<byte>)k)))
        {
            var current = await ReadAllAsync(slot, keys, read);
            if (current.Failure is { } failure)
            {
                return failure;
            }
            var now = NowMs;
            if (current.Records.Any(r => r?.IsLive(now) == true))
            {
                return KeyReply.Number(0);
            }
            // A key named twice takes its last value, as in Redis; writing both would race two versions of one key.
            var last = new Dictionary<string, int>();
            for (var i = 0; i < keys.Length; i++)
            {
                last[Convert.ToBase64String(keys[i])] = i;
            }
            var writes = last.Values.Select(i => (keys[i], RecordDraft.Value(values[i], 0), current.Records[i]));
            return await WriteAllAsync(slot, writes, write) ?? KeyReply.Number(1);
        }
    }

    /// <summary>RENAME src dst (OK) and RENAMENX src dst (1, or 0 when dst exists): dst takes src's value and expiry.</summary>
    private async ValueTask<KeyReply> RenameAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, Consistency read, Consistency write)
    {
        if (StringArguments.SameSlot(args, 1, 1) is { } crossSlot)
        {
            return KeyReply.Error(crossSlot);
        }
        var onlyIfAbsent = command == RespCommand.RenameNx;
        byte[] source = args[1].ToArray(), target = args[2].ToArray();
        using (await locks.AcquireAllAsync([source, target]))
        {
            var current = await ReadAllAsync(slot, [source, target], read);
            if (current.Failure is { } failure)
            {
                return failure;
            }
            var now = NowMs;
            if (current.Records[0] is not { } moving || !moving.IsLive(now))
            {
                return KeyReply.Error(KeyErrors.NoSuchKey);
            }
            var done = onlyIfAbsent ? KeyReply.Number(1) : KeyReply.Ok;
            if (source.AsSpan().SequenceEqual(target))
            {
                return onlyIfAbsent ? KeyReply.Number(0) : KeyReply.Ok;
            }
            if (onlyIfAbsent && current.Records[1]?.IsLive(now) == true)
            {
                return KeyReply.Number(0);
            }
            var failed = await WriteAllAsync(slot,
                [
                    (target, RecordDraft.Value(moving.Value, moving.ExpiresAtMs), current.Records[1]),
                    (source, RecordDraft.Tombstone, moving),
                ], write);
            return failed ?? done;
        }
    }

    /// <summary>Reads every key at <paramref name="read"/> concurrently: the newest stored records (tombstones and
    /// expired records included), or the first failure.</summary>
    private async ValueTask<(StoredRecord?[] Records, KeyReply? Failure)> ReadAllAsync(int slot, byte[][] keys, Consistency read)
    {
        var outcomes = await Task.WhenAll(keys.Select(k => replicator.ReadAsync(slot, k, read).AsTask()));
        foreach (var outcome in outcomes)
        {
            if (!outcome.Succeeded)
            {
                return ([], ReadFailed(outcome));
            }
        }
        return (outcomes.Select(o => o.Newest).ToArray(), null);
    }

    /// <summary>
    /// Writes each key's record, versioned above what was read for it and what this node holds, concurrently;
    /// null when every write reached its quorum, else the first failure's reply.
    /// </summary>
    private async ValueTask<KeyReply?> WriteAllAsync(int slot, IEnumerable<(byte[] Key, RecordDraft Record, StoredRecord? Seen)> writes, Consistency write)
    {
        var pending = writes.Select(w => WriteNewestAsync(slot, w.Key, w.Record, w.Seen, write).AsTask()).ToList();
        foreach (var outcome in await Task.WhenAll(pending))
        {
            if (!outcome.Succeeded)
            {
                return WriteFailed(outcome);
            }
        }
        return null;
    }
}
