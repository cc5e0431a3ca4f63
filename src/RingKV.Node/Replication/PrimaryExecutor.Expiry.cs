using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Replication;

/// <summary>The EXPIRE family, PERSIST and the TTL queries at the primary.</summary>
/// <remarks>
/// An expiry is part of the replicated record, so changing it writes a new version of the same value; replicas
/// then agree on the expiry exactly as they agree on values (highest version wins).
/// </remarks>
public sealed partial class PrimaryExecutor
{
    /// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: 1 when the expiry was set (or the key deleted), else 0.</summary>
    private ValueTask<KeyReply> ExpireAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        if (ExpireOptions.TryParse(command, args, NowMs, out var options) is { } error)
        {
            return ValueTask.FromResult(KeyReply.Error(error));
        }
        return ModifyAsync(slot, key, read, write, (live, now) =>
        {
            if (live is null || !options.Allows(live.ExpiresAtMs))
            {
                return new Decision(KeyReply.Number(0));
            }
            // A time already reached deletes the key, as Redis does (and a non-positive expiry is unstorable).
            return options.ExpiresAtMs <= now ? new Decision(KeyReply.Number(1), RecordDraft.Tombstone)
                : new Decision(KeyReply.Number(1), RecordDraft.Value(live.Value, options.ExpiresAtMs));
        });
    }

    /// <summary>PERSIST: 1 when an expiry was removed, 0 when the key is missing or had none.</summary>
    private ValueTask<KeyReply> PersistAsync(int slot, byte[] key, Consistency read, Consistency write) =>
        ModifyAsync(slot, key, read, write, (live, _) =>
            live is null || live.ExpiresAtMs == 0 ? new Decision(KeyReply.Number(0))
                : new Decision(KeyReply.Number(1), RecordDraft.Value(live.Value, 0)));

    /// <summary>
    /// TTL, PTTL (remaining time) and EXPIRETIME, PEXPIRETIME (absolute Unix time): -2 when the key does not
    /// exist, -1 when it has no expiry. Second forms round to the nearest second, as Redis' <c>(ms+500)/1000</c>.
    /// </summary>
    private async ValueTask<KeyReply> TimeToLiveAsync(RespCommand command, int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        var outcome = await replicator.ReadAsync(slot, key, read);
        if (!outcome.Succeeded)
        {
            return ReadFailed(outcome);
        }
        var now = NowMs;
        if (outcome.Newest is not { } record || !record.IsLive(now))
        {
            return KeyReply.Number(-2);
        }
        if (record.ExpiresAtMs == 0)
        {
            return KeyReply.Number(-1);
        }
        var ms = command is RespCommand.Ttl or RespCommand.PTtl ? record.ExpiresAtMs - now : record.ExpiresAtMs;
        // Written as quotient plus rounding rather than (ms + 500) / 1000, which overflows near long.MaxValue.
        return KeyReply.Number(command is RespCommand.PTtl or RespCommand.PExpireTime ? ms : ms / 1000 + (ms % 1000 >= 500 ? 1 : 0));
    }
}
