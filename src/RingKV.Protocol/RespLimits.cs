namespace RingKV.Protocol;

/// <summary>
/// Bounds on what a peer's input may make this process parse, hold or compute, so that no client can make a server
/// (or a server a client) buffer, allocate or recurse without limit. The defaults are Redis' where Redis has the
/// limit (proto-max-bulk-len 512 MB, 1M arguments, 64 KB inline requests); docs/limits.md lists them all.
/// </summary>
/// <remarks>
/// Every length here bounds what may arrive, never what is allocated up front: parsers size buffers by the bytes
/// that did arrive, so a header announcing the maximum costs nothing until the data follows.
/// </remarks>
public sealed record RespLimits
{
    /// <summary>Largest accepted bulk string, in bytes (Redis <c>proto-max-bulk-len</c>).</summary>
    public long MaxBulkLength { get; init; } = 512L * 1024 * 1024;

    /// <summary>Largest accepted element count of one multibulk request or reply aggregate (<c>proto-max-multibulk-len</c>).</summary>
    public int MaxArguments { get; init; } = 1024 * 1024;

    /// <summary>Longest inline command line (and longest <c>*</c>/<c>$</c> header line) in bytes (Redis' PROTO_INLINE_MAX_SIZE).</summary>
    public int MaxInlineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// Deepest nesting of aggregates (arrays, maps, sets, pushes) in a reply. Requests are flat arrays of bulk strings,
    /// so this only bounds replies, whose parser recurses once per level.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>Longest glob pattern (KEYS, SCAN MATCH, CONFIG GET, COMMAND LIST FILTERBY PATTERN), in bytes (<c>max-pattern-len</c>).</summary>
    public int MaxPatternLength { get; init; } = 1024;

    /// <summary>Shared default instance.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>
    /// What a connection may send before it has authenticated (when a password is set): Redis 7's limits of 10
    /// arguments and 16 KiB per argument, enough for <c>AUTH</c> and <c>HELLO 3 AUTH user pass SETNAME name</c>.
    /// </summary>
    public static RespLimits Unauthenticated { get; } = new() { MaxArguments = 10, MaxBulkLength = 16 * 1024, MaxInlineLength = 16 * 1024 };
}
