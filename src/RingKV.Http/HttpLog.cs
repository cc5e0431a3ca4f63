using Microsoft.Extensions.Logging;

namespace RingKV.Http;

/// <summary>The HTTP side's log events (ids 900-999, see docs/logging.md).</summary>
internal static partial class HttpLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "HTTP {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);
}
