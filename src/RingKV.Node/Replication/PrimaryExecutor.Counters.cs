using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Replication;

/// <summary>INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT at the primary.</summary>
/// <remarks>
/// Each is a read-modify-write under the key's lock, so concurrent increments through a stable primary never lose
/// an update. During a failover two nodes may act as primary for a moment; each increments the newest value it
/// read, so an increment can be lost then (the version order keeps one of the two results), which is the documented
/// limit of read-modify-write without consensus. Like Redis, the key keeps its expiry.
/// </remarks>
public sealed partial class PrimaryExecutor
{
    private ValueTask<KeyReply> IncrementAsync(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        if (StringArguments.TryParseIncrement(command, args, out var increment) is { } error)
        {
            return ValueTask.FromResult(KeyReply.Error(error));
        }
        return ModifyAsync(slot, key, read, write, (live, _) =>
        {
            long current = 0;
            if (live is not null && !RedisInteger.TryParse(live.Value, out current))
            {
                return new Decision(KeyReply.Error(KeyErrors.NotAnInteger));
            }
            if ((increment < 0 && current < 0 && increment < long.MinValue - current)
                || (increment > 0 && current > 0 && increment > long.MaxValue - current))
            {
                return new Decision(KeyReply.Error(KeyErrors.Overflow));
            }
            var next = current + increment;
            var text = System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new Decision(KeyReply.Number(next), RecordDraft.Value(text, live?.ExpiresAtMs ?? 0));
        });
    }

    /// <summary>INCRBYFLOAT in x87 extended precision, exactly as Redis computes and prints it (see <see cref="LongDouble"/>).</summary>
    private ValueTask<KeyReply> IncrementFloatAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, int slot, byte[] key, Consistency read, Consistency write)
    {
        var incrementText = args[2].ToArray();
        return ModifyAsync(slot, key, read, write, (live, _) =>
        {
            var current = default(LongDouble);
            // Redis parses the stored value first, then the increment; both failures share one text.
            if ((live is not null && !LongDouble.TryParse(live.Value, out current)) || !LongDouble.TryParse(incrementText, out var increment))
            {
                return new Decision(KeyReply.Error(KeyErrors.NotAFloat));
            }
            var sum = current.Add(increment);
            if (sum.IsInfinity)
            {
                return new Decision(KeyReply.Error(KeyErrors.NotFinite));
            }
            var text = System.Text.Encoding.ASCII.GetBytes(sum.ToRedisString());
            return new Decision(KeyReply.Bulk(text), RecordDraft.Value(text, live?.ExpiresAtMs ?? 0));
        });
    }
}
