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
}
