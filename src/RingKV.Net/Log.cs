using Microsoft.Extensions.Logging;

namespace RingKV.Net;

/// <summary>Source-generated log messages of the RESP server.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "accept failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "connection {Id} failed")]
    public static partial void ConnectionFailed(ILogger logger, long id, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "client {Id} ({Address}) killed by client {KillerId}")]
    public static partial void ClientKilled(ILogger logger, long id, string address, long killerId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "TLS handshake failed, connection closed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string reason);
}
