namespace RingKV.Protocol;

/// <summary>
/// Bounds applied while parsing requests, so that no client can make a server buffer without limit.
/// The defaults are Redis' (proto-max-bulk-len 512 MB, 1M arguments, 64 KB inline requests).
/// </summary>
public sealed record RespLimits
{
    /// <summary>Largest accepted bulk string, in bytes (Redis <c>proto-max-bulk-len</c>).</summary>
    public long MaxBulkLength { get; init; } = 512L * 1024 * 1024;

    /// <summary>Largest accepted argument count of one multibulk request.</summary>
    public int MaxArguments { get; init; } = 1024 * 1024;

    /// <summary>Longest inline command line (and longest <c>*</c>/<c>$</c> header line) in bytes.</summary>
    public int MaxInlineLength { get; init; } = 64 * 1024;

    /// <summary>Shared default instance.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>
    /// What a connection may send before it has authenticated (when a password is set): Redis 7's limits of 10
    /// arguments and 16 KiB per argument, enough for <c>AUTH</c> and <c>HELLO 3 AUTH user pass SETNAME name</c>.
    /// </summary>
    public static RespLimits Unauthenticated { get; } = new() { MaxArguments = 10, MaxBulkLength = 16 * 1024, MaxInlineLength = 16 * 1024 };
}
