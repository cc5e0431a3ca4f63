using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>The options of <c>SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]</c>, Redis 7 semantics.</summary>
public readonly record struct SetOptions(bool OnlyIfAbsent, bool OnlyIfPresent, bool ReturnOld, bool KeepTtl, long ExpiresAtMs)
{
    /// <summary>True when the primary must read the current value before writing.</summary>
    public bool NeedsRead => OnlyIfAbsent || OnlyIfPresent || ReturnOld || KeepTtl;

    /// <summary>Parses options starting at <paramref name="first"/>; returns an error text (Redis' wording) or null.</summary>
    public static string? TryParse(IReadOnlyList<ReadOnlyMemory<byte>> args, int first, long nowMs, out SetOptions options)
    {
        options = default;
        bool nx = false, xx = false, get = false, keep = false;
        long expiresAt = 0;
        var expirySet = false;
        for (var i = first; i < args.Count; i++)
        {
            var option = args[i].Span;
            if (Is(option, "NX")) { nx = true; }
            else if (Is(option, "XX")) { xx = true; }
            else if (Is(option, "GET")) { get = true; }
            else if (Is(option, "KEEPTTL")) { keep = true; }
            else if (Is(option, "EX") || Is(option, "PX") || Is(option, "EXAT") || Is(option, "PXAT"))
            {
                if (expirySet || i + 1 >= args.Count)
                {
                    return "ERR syntax error";
                }
                if (!long.TryParse(args[++i].Span, out var amount))
                {
                    return "ERR value is not an integer or out of range";
                }
                if (amount <= 0 || amount > long.MaxValue / 2000)
                {
                    return "ERR invalid expire time in 'set' command";
                }
                expiresAt = option.Length switch
                {
                    2 when (option[0] | 0x20) == 'e' => nowMs + amount * 1000,
                    2 => nowMs + amount,
                    _ when (option[0] | 0x20) == 'e' => amount * 1000,
                    _ => amount,
                };
                expirySet = true;
            }
            else
            {
                return "ERR syntax error";
            }
        }
        if ((nx && xx) || (keep && expirySet))
        {
            return "ERR syntax error";
        }
        options = new SetOptions(nx, xx, get, keep, expiresAt);
        return null;
    }

    private static bool Is(ReadOnlySpan<byte> arg, string option) => CommandTable.EqualsIgnoreCase(arg, option);
}
