using RingKV.Protocol;

namespace RingKV.Net;

/// <summary>
/// Everything a <see cref="RespServer"/> bounds per client: the request framing limits, the buffers a connection may
/// make the server hold in each direction, how many connections it admits and how long one may sit idle.
/// docs/limits.md lists each with its flag, its default and what a client sees when it is hit.
/// </summary>
/// <remarks>
/// An immutable value: CONFIG SET builds a new one and <see cref="RespServer.UpdateLimits"/> swaps it in, so a
/// connection always reads one consistent set (it takes the current one once per received batch).
/// </remarks>
public sealed record ServerLimits
{
    /// <summary>Redis' default <c>maxclients</c>.</summary>
    public const int DefaultMaxClients = 10_000;

    /// <summary>Smallest <c>proto-max-bulk-len</c> accepted, Redis' (1 MB).</summary>
    public const long MinBulkLength = 1024 * 1024;

    /// <summary>Smallest <c>client-query-buffer-limit</c> accepted, Redis' (1 MB).</summary>
    public const long MinQueryBufferLimit = 1024 * 1024;

    /// <summary>Smallest <c>proto-inline-max-size</c> accepted: room for any command a person types.</summary>
    public const int MinInlineLength = 1024;

    /// <summary>Bulk, argument, inline-line, nesting and pattern limits (<see cref="RespLimits"/>).</summary>
    public RespLimits Protocol { get; init; } = RespLimits.Default;

    /// <summary>
    /// Most simultaneously open connections (Redis <c>maxclients</c>); connections of other nodes count too. Lowering
    /// it closes nobody; new connections are refused until enough have gone, as in Redis.
    /// </summary>
    public int MaxClients { get; init; } = DefaultMaxClients;

    /// <summary>
    /// Most bytes of one connection's input that may wait unparsed (Redis <c>client-query-buffer-limit</c>, 1 GB):
    /// a request still incomplete past it closes the connection. Keep it above
    /// <see cref="RespLimits.MaxBulkLength"/>, or the largest bulk strings can never arrive whole.
    /// </summary>
    public long QueryBufferLimit { get; init; } = 1L << 30;

    /// <summary>
    /// Most reply bytes one connection may have waiting to be sent (Redis <c>client-output-buffer-limit</c>'s hard
    /// limit): a client that does not read its replies is disconnected once they pass it. 0 is no limit. The default,
    /// 1 GB, holds any one reply a 512 MB value can produce.
    /// </summary>
    public long OutputBufferLimit { get; init; } = 1L << 30;

    /// <summary>
    /// A connection with no traffic in either direction for this long is closed (Redis <c>timeout</c>);
    /// <see cref="TimeSpan.Zero"/> is never. A connection that is executing a command is never idle, and links between
    /// RingKV processes are spared (<see cref="RespSession.IsClusterLink"/>).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Redis' defaults.</summary>
    public static ServerLimits Default { get; } = new();
}
