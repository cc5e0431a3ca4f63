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
/// quorum systems. Conditional writes (NX, XX, GET, KEEPTTL) and DEL read at the requested read level first and
/// hold the key's stripe lock across read and write, so concurrent conditional writes through one primary are
/// serialized.
/// </remarks>
public sealed class PrimaryExecutor(Replicator replicator, KeyLocks locks, TimeProvider time)
{
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <param name="args">The command (GET, SET, DEL or EXISTS) and its arguments; key at index 1.</param>
    public async ValueTask<KeyReply> ExecuteAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, Consistency read, Consistency write)
    {
        // Replication and repair may outlive the request whose buffer holds the key: own it.
        var key = args[1].ToArray();
        switch (command)
        {
            case RespCommand.Get:
                {
                    var outcome = await replicator.ReadAsync(slot, key, read);
                    return !outcome.Succeeded ? ReadFailed(outcome)
                        : outcome.Newest is { } record && record.IsLive(NowMs) ? KeyReply.Bulk(record.Value) : KeyReply.Nil;
                }
            case RespCommand.Exists:
                {
                    var outcome = await replicator.ReadAsync(slot, key, read);
                    return !outcome.Succeeded ? ReadFailed(outcome) : KeyReply.Number(outcome.Newest?.IsLive(NowMs) == true ? 1 : 0);
                }
            case RespCommand.Set:
                return await SetAsync(args, slot, key, read, write);
            case RespCommand.Del:
                return await DeleteAsync(slot, key, read, write);
            default:
                return KeyReply.Error($"ERR command not routable: {command}");
        }
    }

    private async ValueTask<KeyReply> SetAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        var now = NowMs;
        if (SetOptions.TryParse(args, 3, now, out var options) is { } error)
        {
            return KeyReply.Error(error);
        }
        var value = args[2].ToArray();
        if (!options.NeedsRead)
        {
            var record = StoredRecord.ForValue(replicator.NextVersion(replicator.LocalGet(slot, key)), value, options.ExpiresAtMs);
            var outcome = await replicator.WriteAsync(slot, key, record, write);
            return outcome.Succeeded ? KeyReply.Ok : WriteFailed(outcome);
        }
        using (await locks.AcquireAsync(key))
        {
            var current = await replicator.ReadAsync(slot, key, read);
            if (!current.Succeeded)
            {
                return ReadFailed(current);
            }
            var live = current.Newest is { } existing && existing.IsLive(now) ? existing : null;
            var old = options.ReturnOld ? (live is null ? KeyReply.Nil : KeyReply.Bulk(live.Value)) : KeyReply.Ok;
            if ((options.OnlyIfAbsent && live is not null) || (options.OnlyIfPresent && live is null))
            {
                return options.ReturnOld ? old : KeyReply.Nil;
            }
            var expiresAt = options.KeepTtl && live is not null ? live.ExpiresAtMs : options.ExpiresAtMs;
            var floor = Newest(current.Newest, replicator.LocalGet(slot, key));
            var record = StoredRecord.ForValue(replicator.NextVersion(floor), value, expiresAt);
            var outcome = await replicator.WriteAsync(slot, key, record, write);
            return outcome.Succeeded ? old : WriteFailed(outcome);
        }
    }

    private async ValueTask<KeyReply> DeleteAsync(int slot, byte[] key, Consistency read, Consistency write)
    {
        using (await locks.AcquireAsync(key))
        {
            var current = await replicator.ReadAsync(slot, key, read);
            if (!current.Succeeded)
            {
                return ReadFailed(current);
            }
            if (current.Newest is null || current.Newest.IsTombstone)
            {
                return KeyReply.Number(0);
            }
            var floor = Newest(current.Newest, replicator.LocalGet(slot, key));
            var outcome = await replicator.WriteAsync(slot, key, StoredRecord.Tombstone(replicator.NextVersion(floor)), write);
            return !outcome.Succeeded ? WriteFailed(outcome) : KeyReply.Number(current.Newest.IsLive(NowMs) ? 1 : 0);
        }
    }

    private static StoredRecord? Newest(StoredRecord? a, StoredRecord? b) =>
        b is not null && (a is null || b.Version > a.Version) ? b : a;

    // Redis answers min-replicas-to-write failures with NOREPLICAS; the counts say how far the request got.
    private static KeyReply WriteFailed(WriteOutcome outcome) =>
        KeyReply.Error($"NOREPLICAS Not enough good replicas to write: {outcome.Acknowledged} of {outcome.Required} required copies acknowledged");

    private static KeyReply ReadFailed(ReadOutcome outcome) =>
        KeyReply.Error($"NOREPLICAS Not enough good replicas to read: {outcome.Answered} of {outcome.Required} required copies answered");
}
