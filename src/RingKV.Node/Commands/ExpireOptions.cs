using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>
/// The arguments of <c>EXPIRE key seconds</c>, <c>PEXPIRE key ms</c>, <c>EXPIREAT key unix-s</c> and
/// <c>PEXPIREAT key unix-ms</c>, each with <c>[NX|XX|GT|LT]</c>, Redis 7 semantics (expire.c).
/// </summary>
/// <param name="ExpiresAtMs">
/// The requested absolute expiry in Unix milliseconds. It may be in the past or negative (EXPIRE accepts negative
/// amounts): a time at or before now deletes the key.
/// </param>
public readonly record struct ExpireOptions(long ExpiresAtMs, bool Nx, bool Xx, bool Gt, bool Lt)
{
    /// <summary>
    /// Parses the amount (index 2) and the conditions (from index 3) of <paramref name="command"/>; returns an
    /// error text in Redis' wording and order (options first, then the amount, then overflow) or null.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="command"/> is not of the EXPIRE family.</exception>
    public static string? TryParse(RespCommand command, IReadOnlyList<ReadOnlyMemory<byte>> args, long nowMs, out ExpireOptions options)
    {
        var (name, seconds, relative) = command switch
        {
            RespCommand.Expire => ("expire", true, true),
            RespCommand.PExpire => ("pexpire", false, true),
            RespCommand.ExpireAt => ("expireat", true, false),
            RespCommand.PExpireAt => ("pexpireat", false, false),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not an EXPIRE command"),
        };
        options = default;
        bool nx = false, xx = false, gt = false, lt = false;
        for (var i = 3; i < args.Count; i++)
        {
            var option = args[i].Span;
            if (CommandTable.EqualsIgnoreCase(option, "NX")) { nx = true; }
            else if (CommandTable.EqualsIgnoreCase(option, "XX")) { xx = true; }
            else if (CommandTable.EqualsIgnoreCase(option, "GT")) { gt = true; }
            else if (CommandTable.EqualsIgnoreCase(option, "LT")) { lt = true; }
            else { return KeyErrors.UnsupportedOption(option); }
        }
        if (nx && (xx || gt || lt))
        {
            return KeyErrors.NxWithOthers;
        }
        if (gt && lt)
        {
            return KeyErrors.GtWithLt;
        }
        if (!RedisInteger.TryParse(args[2].Span, out var when))
        {
            return KeyErrors.NotAnInteger;
        }
        if (seconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                return KeyErrors.InvalidExpireTime(name);
            }
            when *= 1000;
        }
        if (relative)
        {
            // A negative amount can not overflow when added to a positive now; only the upper bound needs care.
            if (when > long.MaxValue - nowMs)
            {
                return KeyErrors.InvalidExpireTime(name);
            }
            when += nowMs;
        }
        options = new ExpireOptions(when, nx, xx, gt, lt);
        return null;
    }

    /// <summary>
    /// True when the conditions let the new expiry replace <paramref name="currentExpiresAtMs"/> (0 = none).
    /// A key without expiry counts as an infinite TTL: GT never applies to it, LT always does.
    /// </summary>
    public bool Allows(long currentExpiresAtMs)
    {
        var hasExpiry = currentExpiresAtMs != 0;
        return !(Nx && hasExpiry)
            && !(Xx && !hasExpiry)
            && !(Gt && (!hasExpiry || ExpiresAtMs <= currentExpiresAtMs))
            && !(Lt && hasExpiry && ExpiresAtMs >= currentExpiresAtMs);
    }
}
