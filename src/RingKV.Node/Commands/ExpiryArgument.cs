using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>
/// The <c>EX s | PX ms | EXAT s | PXAT ms</c> argument shared by SET and GETEX, checked and converted to an
/// absolute Unix time in milliseconds as Redis 7 does (<c>getExpireMillisecondsOrReply</c> in t_string.c).
/// </summary>
public static class ExpiryArgument
{
    /// <summary>True when <paramref name="option"/> is EX, PX, EXAT or PXAT (any case).</summary>
    public static bool IsExpiryOption(ReadOnlySpan<byte> option) =>
        CommandTable.EqualsIgnoreCase(option, "EX") || CommandTable.EqualsIgnoreCase(option, "PX")
        || CommandTable.EqualsIgnoreCase(option, "EXAT") || CommandTable.EqualsIgnoreCase(option, "PXAT");

    /// <summary>True when two expiry options are the same one (Redis accepts a repeated option, last amount wins).</summary>
    public static bool IsSameOption(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        // EX, PX, EXAT and PXAT differ in length or first letter, so those two tell them apart.
        a.Length == b.Length && (a[0] | 0x20) == (b[0] | 0x20);

    /// <summary>
    /// Converts <paramref name="amount"/> given with <paramref name="option"/> (one of
    /// <see cref="IsExpiryOption"/>) into absolute Unix milliseconds; returns Redis' error text or null.
    /// </summary>
    /// <remarks>
    /// Zero and negative amounts are errors even for EXAT/PXAT (Redis rejects them rather than deleting the key);
    /// a positive absolute time in the past is accepted and makes the key expire at once.
    /// </remarks>
    /// <param name="command">The command's name in lower case, for the error text.</param>
    public static string? TryResolve(ReadOnlySpan<byte> option, ReadOnlySpan<byte> amount, long nowMs, string command, out long expiresAtMs)
    {
        expiresAtMs = 0;
        if (!RedisInteger.TryParse(amount, out var value))
        {
            return KeyErrors.NotAnInteger;
        }
        var seconds = (option[0] | 0x20) == 'e';
        var relative = option.Length == 2;
        if (value <= 0 || (seconds && value > long.MaxValue / 1000))
        {
            return KeyErrors.InvalidExpireTime(command);
        }
        if (seconds)
        {
            value *= 1000;
        }
        if (relative)
        {
            // Redis detects this overflow after the fact (a sum <= 0); checking before is the same rule without UB.
            if (value > long.MaxValue - nowMs)
            {
                return KeyErrors.InvalidExpireTime(command);
            }
            value += nowMs;
        }
        expiresAtMs = value;
        return null;
    }
}
