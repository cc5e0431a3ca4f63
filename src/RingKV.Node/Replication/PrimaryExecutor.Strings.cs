using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Replication;

/// <summary>The SET family (SET, GETSET, SETNX, SETEX, PSETEX), DEL, GETDEL and GETEX at the primary.</summary>
public sealed partial class PrimaryExecutor
{
    private ValueTask<KeyReply> SetAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write) =>
        SetOptions.TryParse(args, 3, NowMs, out var options) is { } error
            ? ValueTask.FromResult(KeyReply.Error(error))
            : StoreAsync(slot, key, args[2].ToArray(), options, read, write);

    /// <summary>SETNX: SET NX answering 1 or 0.</summary>
    private async ValueTask<KeyReply> SetNxAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        var reply = await StoreAsync(slot, key, args[2].ToArray(), new SetOptions(true, false, false, false, 0), read, write);
        return reply.IsError ? reply : KeyReply.Number(reply.Kind == KeyReplyKind.Ok ? 1 : 0);
    }

    /// <summary>SETEX key seconds value, PSETEX key milliseconds value: SET with EX or PX and their own error names.</summary>
    private ValueTask<KeyReply> SetExAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        var seconds = command == RespCommand.SetEx;
        return ExpiryArgument.TryResolve(seconds ? "EX"u8 : "PX"u8, args[2].Span, NowMs, seconds ? "setex" : "psetex", out var expiresAt) is { } error
            ? ValueTask.FromResult(KeyReply.Error(error))
            : StoreAsync(slot, key, args[3].ToArray(), new SetOptions(false, false, false, false, expiresAt), read, write);
    }

    /// <summary>Writes <paramref name="value"/> as SET with <paramref name="options"/> does, answering as SET does.</summary>
    private async ValueTask<KeyReply> StoreAsync(int slot, byte[] key, byte[] value, SetOptions options, Consistency read, Consistency write)
    {
        if (!options.NeedsRead)
        {
            // Unconditional: the HLC version alone orders it against concurrent writes, no lock or read needed.
            var outcome = await WriteNewestAsync(slot, key, RecordDraft.Value(value, options.ExpiresAtMs), null, write);
            return outcome.Succeeded ? KeyReply.Ok : WriteFailed(outcome);
        }
        return await ModifyAsync(slot, key, read, write, (live, _) =>
        {
            var old = options.ReturnOld ? (live is null ? KeyReply.Nil : KeyReply.Bulk(live.Value)) : KeyReply.Ok;
            if ((options.OnlyIfAbsent && live is not null) || (options.OnlyIfPresent && live is null))
            {
                return new Decision(options.ReturnOld ? old : KeyReply.Nil);
            }
            var expiresAt = options.KeepTtl && live is not null ? live.ExpiresAtMs : options.ExpiresAtMs;
            return new Decision(old, RecordDraft.Value(value, expiresAt));
        });
    }

    // An expired record is replaced by a tombstone too (answering 0): it purges the value from every copy.
    private ValueTask<KeyReply> DeleteAsync(int slot, byte[] key, Consistency read, Consistency write) =>
        ModifyStoredAsync(slot, key, read, write, (stored, now) =>
            stored is null || stored.IsTombstone
                ? new Decision(KeyReply.Number(0))
                : new Decision(KeyReply.Number(stored.IsLive(now) ? 1 : 0), RecordDraft.Tombstone));

    private ValueTask<KeyReply> GetDelAsync(int slot, byte[] key, Consistency read, Consistency write) =>
        ModifyAsync(slot, key, read, write, (live, _) =>
            live is null ? new Decision(KeyReply.Nil) : new Decision(KeyReply.Bulk(live.Value), RecordDraft.Tombstone));

    /// <remarks>
    /// Without an option GETEX is a plain read. With one it rewrites the record: the same value under a new
    /// version with the new expiry, or a tombstone when EXAT/PXAT is already past (Redis deletes the key then,
    /// still answering its value).
    /// </remarks>
    private ValueTask<KeyReply> GetExAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        if (GetExOptions.TryParse(args, NowMs, out var options) is { } error)
        {
            return ValueTask.FromResult(KeyReply.Error(error));
        }
        if (!options.Modifies)
        {
            return GetAsync(slot, key, read);
        }
        return ModifyAsync(slot, key, read, write, (live, now) =>
        {
            if (live is null)
            {
                return new Decision(KeyReply.Nil);
            }
            if (options.ExpiryError is { } invalid)
            {
                return new Decision(KeyReply.Error(invalid));
            }
            var value = KeyReply.Bulk(live.Value);
            if (options.Persist)
            {
                return live.ExpiresAtMs == 0 ? new Decision(value)
                    : new Decision(value, RecordDraft.Value(live.Value, 0));
            }
            return options.ExpiresAtMs <= now ? new Decision(value, RecordDraft.Tombstone)
                : new Decision(value, RecordDraft.Value(live.Value, options.ExpiresAtMs));
        });
    }
}
