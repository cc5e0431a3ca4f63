using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>The options of <c>GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]</c>, Redis 7 semantics.</summary>
/// <param name="Persist">PERSIST: remove the key's expiry.</param>
/// <param name="SetsExpiry">One of EX, PX, EXAT, PXAT was given.</param>
/// <param name="ExpiresAtMs">The new absolute expiry (Unix ms) when <paramref name="SetsExpiry"/> and valid.</param>
/// <param name="ExpiryError">
/// Why the expiry amount is invalid, or null. Redis checks the amount only after finding the key, so GETEX of a
/// missing key answers nil whatever the amount; the primary reports this error only for a live key.
/// </param>
public readonly record struct GetExOptions(bool Persist, bool SetsExpiry, long ExpiresAtMs, string? ExpiryError)
{
    /// <summary>True when GETEX must rewrite the record (otherwise it is a plain read).</summary>
    public bool Modifies => Persist || SetsExpiry;

    /// <summary>
    /// Parses the options after the key; returns a syntax error (Redis' wording) or null. An invalid amount is
    /// not a syntax error: it lands in <see cref="ExpiryError"/>.
    /// </summary>
    /// <remarks>
    /// As in Redis, repeating the same option is accepted (the last amount wins), while mixing two expiry options
    /// or an expiry with PERSIST is a syntax error, and so are SET's options (NX, XX, GET, KEEPTTL).
    /// </remarks>
    public static string? TryParse(IReadOnlyList<ReadOnlyMemory<byte>> args, long nowMs, out GetExOptions options)
    {
        options = default;
        var persist = false;
        ReadOnlyMemory<byte> expiryOption = default, amount = default;
        for (var i = 2; i < args.Count; i++)
        {
            var option = args[i].Span;
            if (CommandTable.EqualsIgnoreCase(option, "PERSIST") && expiryOption.IsEmpty)
            {
                persist = true;
            }
            else if (ExpiryArgument.IsExpiryOption(option) && !persist && i + 1 < args.Count
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
        if (expiryOption.IsEmpty)
        {
            options = new GetExOptions(persist, false, 0, null);
            return null;
        }
        var error = ExpiryArgument.TryResolve(expiryOption.Span, amount.Span, nowMs, "getex", out var expiresAt);
        options = new GetExOptions(false, true, expiresAt, error);
        return null;
    }
}
