namespace RingKV.Node.Commands;

/// <summary>Error texts of the key commands, worded exactly as Redis 7 words them (clients match on them).</summary>
public static class KeyErrors
{
    public const string Syntax = "ERR syntax error";

    public const string NotAnInteger = "ERR value is not an integer or out of range";

    public const string NotAFloat = "ERR value is not a valid float";

    public const string Overflow = "ERR increment or decrement would overflow";

    public const string DecrementOverflow = "ERR decrement would overflow";

    public const string NotFinite = "ERR increment would produce NaN or Infinity";

    public const string OffsetOutOfRange = "ERR offset is out of range";

    public const string StringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    public const string NoSuchKey = "ERR no such key";

    /// <summary>Redis Cluster's refusal of a multi-key command whose keys live in different slots.</summary>
    public const string CrossSlot = "CROSSSLOT Keys in request don't hash to the same slot";

    public const string NxWithOthers = "ERR NX and XX, GT or LT options at the same time are not compatible";

    public const string GtWithLt = "ERR GT and LT options at the same time are not compatible";

    /// <param name="command">The command's name in lower case, as Redis prints it (<c>expire</c>, <c>set</c>).</param>
    public static string InvalidExpireTime(string command) => $"ERR invalid expire time in '{command}' command";

    /// <summary>
    /// Redis quotes the option as the client sent it, without quotes, through <c>%s</c> (so it ends at a NUL) in
    /// addReplyErrorFormat, which trims CR and LF off the end of the text (found by the differential fuzzer).
    /// </summary>
    public static string UnsupportedOption(ReadOnlySpan<byte> option)
    {
        var end = option.IndexOf((byte)0);
        return ("ERR Unsupported option " + System.Text.Encoding.UTF8.GetString(end < 0 ? option : option[..end])).TrimEnd('\r', '\n');
    }
}
