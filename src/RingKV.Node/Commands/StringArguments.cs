using RingKV.Placement;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>
/// Argument checks of the string commands, shared by the receiving node (to answer before any hop) and the primary
/// (which parses again when it executes). Each returns Redis' error text or null.
/// </summary>
public static class StringArguments
{
    /// <summary>Redis' default <c>proto-max-bulk-len</c>: the longest string SETRANGE and APPEND may build.</summary>
    public const long MaxStringLength = 512L * 1024 * 1024;

    /// <summary>GETRANGE's start and end (args 2 and 3), strict integers.</summary>
    public static string? TryParseRange(IReadOnlyList<ReadOnlyMemory<byte>> args, out long start, out long end)
    {
        end = 0;
        return RedisInteger.TryParse(args[2].Span, out start) && RedisInteger.TryParse(args[3].Span, out end) ? null : KeyErrors.NotAnInteger;
    }

    /// <summary>SETRANGE's offset: an integer, not negative.</summary>
    public static string? TryParseOffset(ReadOnlySpan<byte> text, out long offset) =>
        !RedisInteger.TryParse(text, out offset) ? KeyErrors.NotAnInteger
        : offset < 0 ? KeyErrors.OffsetOutOfRange
        : null;

    /// <summary>Redis' <c>checkStringLength</c>: whether a string of <paramref name="size"/> plus <paramref name="append"/>
    /// bytes may exist.</summary>
    public static string? CheckLength(long size, long append) => size > MaxStringLength - append ? KeyErrors.StringTooLong : null;

    /// <summary>
    /// The signed amount INCR, DECR, INCRBY and DECRBY add. DECRBY of long.MinValue is refused, as Redis does,
    /// because its negation does not exist.
    /// </summary>
    public static string? TryParseIncrement(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, out long increment)
    {
        increment = command switch { RespCommand.Incr => 1, RespCommand.Decr => -1, _ => 0 };
        if (command is RespCommand.Incr or RespCommand.Decr)
        {
            return null;
        }
        if (!RedisInteger.TryParse(args[2].Span, out var amount))
        {
            return KeyErrors.NotAnInteger;
        }
        if (command == RespCommand.DecrBy)
        {
            if (amount == long.MinValue)
            {
                return KeyErrors.DecrementOverflow;
            }
            amount = -amount;
        }
        increment = amount;
        return null;
    }

    /// <summary>
    /// CROSSSLOT unless the keys at <paramref name="first"/>, <paramref name="first"/> + <paramref name="step"/>, …
    /// share one hash slot, the rule Redis Cluster applies to every multi-key command.
    /// </summary>
    public static string? SameSlot(IReadOnlyList<ReadOnlyMemory<byte>> args, int first, int step)
    {
        var slot = HashSlot.ForKey(args[first].Span);
        for (var i = first + step; i < args.Count; i += step)
        {
            if (HashSlot.ForKey(args[i].Span) != slot)
            {
                return KeyErrors.CrossSlot;
            }
        }
        return null;
    }
}
