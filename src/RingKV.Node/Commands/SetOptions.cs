using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>The options of <c>SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]</c>, Redis 7 semantics.</summary>
public readonly record struct SetOptions(bool OnlyIfAbsent, bool OnlyIfPresent, bool ReturnOld, bool KeepTtl, long ExpiresAtMs)
{
    /// <summary>True when the primary must read the current value before writing.</summary>
    public bool NeedsRead => OnlyIfAbsent || OnlyIfPresent || ReturnOld || KeepTtl;

    /// <summary>Parses options starting at <paramref name="first"/>; returns an error text (Redis' wording) or null.</summary>
    /// <remarks>
    /// As in Redis, every option is parsed before the expiry amount is checked (a syntax error wins over a bad
    /// amount), and repeating an option is accepted (the last amount wins), while conflicting ones are not.
    /// </remarks>
    public static string? TryParse(IReadOnlyList<ReadOnlyMemory<byte>> args, int first, long nowMs, out SetOptions options)
    {
        options = default;
        bool nx = false, xx = false, get = false, keep = false;
        ReadOnlyMemory<byte> expiryOption = default, amount = default;
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i].Span;
            if (Is(option, "NX") && !xx) { nx = true; }
            else if (Is(option, "XX") && !nx) { xx = true; }
            else if (Is(option, "GET")) { get = true; }
            else if (Is(option, "KEEPTTL") && expiryOption.IsEmpty) { keep = true; }
            else if (ExpiryArgument.IsExpiryOption(option) && !keep && i + 1 < args.Count
                && (expiryOption.IsEmpty || ExpiryArgument.IsSameOption(option, expiryOption.Span)))
            {
                expiryOption = args[i];
                amount = args[++i];
            }
            else
            {
                return KeyErrors.Syntax;
            }
        }
        long expiresAt = 0;
        if (!expiryOption.IsEmpty && ExpiryArgument.TryResolve(expiryOption.Span, amount.Span, nowMs, "set", out expiresAt) is { } error)
        {
            return error;
        }
        options = new SetOptions(nx, xx, get, keep, expiresAt);
        return null;
    }

    private static bool Is(ReadOnlySpan<byte> arg, string option) => CommandTable.EqualsIgnoreCase(arg, option);
}
