using Microsoft.Extensions.Logging;

namespace RingKV.Net;

/// <summary>Source-generated log messages of the RESP server (docs/logging.md: ids 1-19 connections, 20-29 limits).</summary>
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

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "closing client {Id} ({Address}): {Bytes} bytes of input wait unparsed, over client-query-buffer-limit {Limit}")]
    public static partial void QueryBufferLimitReached(ILogger logger, long id, string address, long bytes, long limit);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning,
        Message = "closing client {Id} ({Address}): {Bytes} reply bytes wait to be sent, over client-output-buffer-limit {Limit}")]
    public static partial void OutputBufferLimitReached(ILogger logger, long id, string address, long bytes, long limit);

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "closing client {Id} ({Address}): idle for {Seconds} s (timeout {Timeout} s)")]
    public static partial void IdleClientClosed(ILogger logger, long id, string address, long seconds, long timeout);

    // Redis' wording (securityWarningCommand), so operators searching for it find this too.
    [LoggerMessage(EventId = 23, Level = LogLevel.Warning,
        Message = "Possible SECURITY ATTACK detected: client {Id} ({Address}) sent '{Command}', the start of an HTTP request; "
            + "likely cross protocol scripting from a browser. Connection aborted")]
    public static partial void CrossProtocolAttack(ILogger logger, long id, string address, string command);
}
