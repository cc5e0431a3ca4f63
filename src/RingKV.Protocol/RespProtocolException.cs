namespace RingKV.Protocol;

/// <summary>
/// Malformed input on the wire. The message is the text after <c>-ERR </c> that Redis would send
/// (for example <c>Protocol error: invalid multibulk length</c>); after it the server replies and closes
/// the connection, as Redis does, because the stream can no longer be framed.
/// </summary>
public sealed class RespProtocolException : Exception
{
    public RespProtocolException(string message) : base(message) { }

    public RespProtocolException() { }

    public RespProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
