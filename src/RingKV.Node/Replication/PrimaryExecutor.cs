using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;
using RingKV.Storage;

namespace RingKV.Node.Replication;

/// <summary>
/// Executes single-key commands as the key's acting primary: assigns versions, applies, and replicates with the
/// requested consistency. Reached either directly (the client connected to the primary) or through
/// <c>RKV.FWD</c> from another node; both paths run exactly this code.
/// </summary>
/// <remarks>
/// A write that reaches fewer copies than required is answered with a NOREPLICAS error: it was not acknowledged,
/// yet the copies it reached keep it (no rollback), so a later read may or may not see it, the usual contract of
/// quorum systems. Commands that decide from the current record (SET NX/XX/GET/KEEPTTL, GETSET, SETNX, DEL,
/// GETDEL, GETEX with an option, APPEND, SETRANGE, the INCR family, the EXPIRE family, PERSIST, MSETNX, RENAME)
/// read at the requested read level first and hold their keys' stripe locks across read and write, so such
/// commands on one key through one primary are serialized: concurrent INCRs never lose an update while the primary
/// is stable. Pure reads (GET, EXISTS, STRLEN, GETRANGE, the TTL family, GETEX without option) take no lock.
/// </remarks>
public sealed partial class PrimaryExecutor(Replicator replicator, KeyLocks locks, TimeProvider time)
{
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <param name="command">One of <see cref="KeyCommands"/>; anything else is answered with an error.</param>
    /// <param name="args">The command name and its arguments, key at index 1; read only during the call.</param>
    public ValueTask<KeyReply> ExecuteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, Consistency read, Consistency write)
    {
        if (!KeyCommands.TryGet(command, out var keyCommand))
        {
            return ValueTask.FromResult(KeyReply.Error($"ERR command not routable: {command}"));
        }
        if (!keyCommand.AcceptsArgumentCount(args.Count))
        {
            return ValueTask.FromResult(KeyReply.Error(keyCommand.WrongArityError));
        }
        return command switch
        {
            // Pure reads take the key where it lies in the request; the replicator copies it if the read goes remote.
            RespCommand.Get => GetAsync(slot, args[1], read),
            RespCommand.Exists => ExistsAsync(slot, args[1], read),
            RespCommand.GetRange => GetRangeAsync(args, slot, args[1], read),
            RespCommand.StrLen => StrLenAsync(slot, args[1], read),
            RespCommand.Ttl or RespCommand.PTtl or RespCommand.ExpireTime or RespCommand.PExpireTime =>
                TimeToLiveAsync(command, slot, args[1], read),
            // Writes store the key and may replicate after the request is gone: they own a copy.
            _ => ExecuteWriteAsync(command, args, slot, args[1].ToArray(), read, write),
        };
    }

    private ValueTask<KeyReply> ExecuteWriteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write) =>
        command switch
        {
            RespCommand.Set => SetAsync(args, slot, key, read, write),
            RespCommand.GetSet => StoreAsync(slot, key, args[2].ToArray(), new SetOptions(false, false, true, false, 0), read, write),
            RespCommand.SetNx => SetNxAsync(args, slot, key, read, write),
            RespCommand.SetEx or RespCommand.PSetEx => SetExAsync(command, args, slot, key, read, write),
            RespCommand.Append => AppendAsync(args, slot, key, read, write),
            RespCommand.SetRange => SetRangeAsync(args, slot, key, read, write),
            RespCommand.Incr or RespCommand.Decr or RespCommand.IncrBy or RespCommand.DecrBy =>
                IncrementAsync(command, args, slot, key, read, write),
            RespCommand.IncrByFloat => IncrementFloatAsync(args, slot, key, read, write),
            RespCommand.MSetNx => MSetNxAsync(args, slot, read, write),
            RespCommand.Rename or RespCommand.RenameNx => RenameAsync(command, args, slot, read, write),
            RespCommand.Del => DeleteAsync(slot, key, read, write),
            RespCommand.GetDel => GetDelAsync(slot, key, read, write),
            RespCommand.GetEx => GetExAsync(args, slot, key, read, write),
            RespCommand.Persist => PersistAsync(slot, key, read, write),
            RespCommand.Expire or RespCommand.PExpire or RespCommand.ExpireAt or RespCommand.PExpireAt =>
                ExpireAsync(command, args, slot, key, read, write),
            // Listed in KeyCommands without a handler here: a bug, which KeyCommandListTests catches.
            _ => ValueTask.FromResult(KeyReply.Error($"ERR command not routable: {command}")),
        };

    private async ValueTask<KeyReply> GetAsync(int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        var outcome = await replicator.ReadAsync(slot, key, read);
        return !outcome.Succeeded ? ReadFailed(outcome)
            : outcome.Newest is { } record && record.IsLive(NowMs) ? KeyReply.Bulk(record.Value) : KeyReply.Nil;
    }

    private async ValueTask<KeyReply> ExistsAsync(int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        var outcome = await replicator.ReadAsync(slot, key, read);
        return !outcome.Succeeded ? ReadFailed(outcome) : KeyReply.Number(outcome.Newest?.IsLive(NowMs) == true ? 1 : 0);
    }

    /// <summary>
    /// Read-modify-write under the key's lock: reads at <paramref name="read"/>, lets <paramref name="decide"/>
    /// look at the live record (null when absent, deleted or expired) and the time, and writes what it asks for
    /// with a version above every copy seen.
    /// </summary>
    private ValueTask<KeyReply> ModifyAsync(int slot, byte[] key, Consistency read, Consistency write, Func<StoredRecord?, long, Decision> decide) =>
        ModifyStoredAsync(slot, key, read, write, decide, liveOnly: true);

    /// <summary>
    /// <see cref="ModifyAsync"/> for the rare command that must see the newest stored record as it is, tombstones and
    /// expired records included (DEL replaces an expired value by a tombstone), when <paramref name="liveOnly"/> is false.
    /// </summary>
    private async ValueTask<KeyReply> ModifyStoredAsync(int slot, byte[] key, Consistency read, Consistency write, Func<StoredRecord?, long, Decision> decide, bool liveOnly = false)
    {
        using (await locks.AcquireAsync(key))
        {
            for (var attempt = 1; ; attempt++)
            {
                // A retry proves this node's copy stale (see below), so it reads at least a quorum whatever the level.
                var current = await replicator.ReadAsync(slot, key, attempt == 1 || read >= Consistency.Quorum ? read : Consistency.Quorum);
                if (!current.Succeeded)
                {
                    return ReadFailed(current);
                }
                // The decision and the version rest on the same record: the newest the read returned or this node holds
                // now (a replicated write or a write-back may have just landed here). A newer one anywhere makes the write
                // superseded.
                var seen = MergeRule.Newest(current.Newest, replicator.LocalGet(slot, key));
                // Taken after the read, so the lock wait does not make an expired record look live.
                var now = NowMs;
                var decision = decide(liveOnly && seen?.IsLive(now) != true ? null : seen, now);
                if (decision.Write is null)
                {
                    return decision.Reply;
                }
                var outcome = await replicator.WriteAsync(slot, key, decision.Write.Value, seen?.Version.Timestamp ?? 0, write);
                if (outcome.Succeeded)
                {
                    return decision.Reply;
                }
                // Replicas hold a version the read did not see: decide again on what is there now.
                if (!outcome.RetrySafe || attempt == WriteAttempts)
                {
                    return WriteFailed(outcome);
                }
            }
        }
    }

    /// <summary>
    /// How often a write is versioned again when replicas report a newer version (<see cref="WriteOutcome.Superseded"/>)
    /// before it is refused. The second attempt normally succeeds: the first one taught this node's clock the newer
    /// version; a third is needed only when another writer races on the same key.
    /// </summary>
    private const int WriteAttempts = 3;

    /// <summary>
    /// Writes <paramref name="draft"/>, versioned above <paramref name="seen"/> and this node's copy,
    /// and versioned again above any newer copy the replicas report (see <see cref="WriteOutcome.Superseded"/>).
    /// </summary>
    private async ValueTask<WriteOutcome> WriteNewestAsync(int slot, byte[] key, RecordDraft draft, StoredRecord? seen, Consistency write)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The replicator observed the version a replica reported, so NextVersion now lies above it.
            var floor = Math.Max(seen?.Version.Timestamp ?? 0, replicator.LocalVersion(slot, key)?.Timestamp ?? 0);
            var outcome = await replicator.WriteAsync(slot, key, draft, floor, write);
            if (outcome.Succeeded || !outcome.RetrySafe || attempt == WriteAttempts)
            {
                return outcome;
            }
        }
    }

    // Redis answers min-replicas-to-write failures with NOREPLICAS; the counts say how far the request got.
    private static KeyReply WriteFailed(WriteOutcome outcome) =>
        KeyReply.Error(outcome.Superseded == 0
            ? $"NOREPLICAS Not enough good replicas to write: {outcome.Acknowledged} of {outcome.Required} required copies acknowledged"
            : $"NOREPLICAS Not enough good replicas to write: {outcome.Acknowledged} of {outcome.Required} required copies acknowledged, the others hold a newer version written concurrently");

    private static KeyReply ReadFailed(ReadOutcome outcome) =>
        KeyReply.Error($"NOREPLICAS Not enough good replicas to read: {outcome.Answered} of {outcome.Required} required copies answered");

    /// <summary>What a read-modify-write decided: the reply, and the record to write (given its version), if any.</summary>
    private readonly record struct Decision(KeyReply Reply, RecordDraft? Write = null);
}
