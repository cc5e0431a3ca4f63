using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Storage;

namespace RingKV.Node.Replication;

/// <summary>GETRANGE, STRLEN, APPEND and SETRANGE at the primary, byte for byte as Redis 7 (t_string.c).</summary>
/// <remarks>
/// These run where the value is, so a large value is never shipped to the node the client talks to just to answer
/// its length or a slice. APPEND and SETRANGE keep the key's expiry, as Redis modifies the value in place.
/// </remarks>
public sealed partial class PrimaryExecutor
{
    private async ValueTask<KeyReply> GetRangeAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        if (StringArguments.TryParseRange(args, out var start, out var end) is { } error)
        {
            return KeyReply.Error(error);
        }
        var live = await ReadLiveAsync(slot, key, read);
        if (live.Failure is { } failure)
        {
            return failure;
        }
        var value = live.Record?.Value ?? [];
        long length = value.Length;
        // Redis' order of adjustments, including its quirk that two negative indexes in the wrong order are empty.
        if (start < 0 && end < 0 && start > end)
        {
            return KeyReply.Bulk([]);
        }
        if (start < 0) { start = Math.Max(0, length + start); }
        if (end < 0) { end = Math.Max(0, length + end); }
        if (end >= length) { end = length - 1; }
        return start > end || length == 0 ? KeyReply.Bulk([]) : KeyReply.Bulk(value.AsSpan((int)start, (int)(end - start + 1)).ToArray());
    }

    private async ValueTask<KeyReply> StrLenAsync(int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        var live = await ReadLiveAsync(slot, key, read);
        return live.Failure ?? KeyReply.Number(live.Record?.Value.Length ?? 0);
    }

    /// <summary>APPEND: creates the key (even with an empty value) or extends it; answers the new length.</summary>
    private ValueTask<KeyReply> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        var suffix = args[2].ToArray();
        return ModifyAsync(slot, key, read, write, (live, _) =>
        {
            if (live is null)
            {
                return new Decision(KeyReply.Number(suffix.Length), RecordDraft.Value(suffix, 0));
            }
            if (StringArguments.CheckLength(live.Value.Length, suffix.Length) is { } tooLong)
            {
                return new Decision(KeyReply.Error(tooLong));
            }
            var value = new byte[live.Value.Length + suffix.Length];
            live.Value.CopyTo(value, 0);
            suffix.CopyTo(value, live.Value.Length);
            return new Decision(KeyReply.Number(value.Length), RecordDraft.Value(value, live.ExpiresAtMs));
        });
    }

    /// <summary>
    /// SETRANGE: overwrites from the offset, padding with zero bytes; an empty value changes nothing (and does not
    /// create the key), answering the current length.
    /// </summary>
    private ValueTask<KeyReply> SetRangeAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        if (StringArguments.TryParseOffset(args[2].Span, out var offset) is { } error)
        {
            return ValueTask.FromResult(KeyReply.Error(error));
        }
        var patch = args[3].ToArray();
        return ModifyAsync(slot, key, read, write, (live, _) =>
        {
            var current = live?.Value ?? [];
            if (patch.Length == 0)
            {
                return new Decision(KeyReply.Number(current.Length));
            }
            if (StringArguments.CheckLength(offset, patch.Length) is { } tooLong)
            {
                return new Decision(KeyReply.Error(tooLong));
            }
            var value = new byte[Math.Max(current.Length, offset + patch.Length)];
            current.CopyTo(value, 0);
            patch.CopyTo(value, offset);
            return new Decision(KeyReply.Number(value.Length), RecordDraft.Value(value, live?.ExpiresAtMs ?? 0));
        });
    }

    /// <summary>A read at <paramref name="read"/> reduced to the live record (null when absent, deleted or expired),
    /// or the error reply when too few copies answered.</summary>
    private async ValueTask<(StoredRecord? Record, KeyReply? Failure)> ReadLiveAsync(int slot, ReadOnlyMemory<byte> key, Consistency read)
    {
        var outcome = await replicator.ReadAsync(slot, key, read);
        if (!outcome.Succeeded)
        {
            return (null, ReadFailed(outcome));
        }
        return (outcome.Newest is { } record && record.IsLive(NowMs) ? record : null, null);
    }
}
