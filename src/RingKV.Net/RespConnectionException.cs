namespace RingKV.Net;

/// <summary>
/// A peer could not be reached, closed the connection, or did not answer in time. For a command this means the
/// outcome is unknown: it may or may not have been applied.
/// </summary>
public sealed class RespConnectionException : Exception
{
    public RespConnectionException() { }

    public RespConnectionException(string message) : base(message) { }

    public RespConnectionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// True when the command certainly never left this process (no connection could be opened, or the connection
    /// was already broken when it was issued), so its outcome is known: not applied, and safe to send elsewhere.
    /// </summary>
    public bool NotSent { get; init; }

    /// <summary>The peer answered but refused the connection's handshake (wrong password or cluster secret): retrying will not help.</summary>
    public bool Refused { get; init; }
}
