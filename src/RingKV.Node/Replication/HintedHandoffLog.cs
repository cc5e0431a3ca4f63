using Microsoft.Extensions.Logging;

namespace RingKV.Node.Replication;

/// <summary>Source-generated log messages of <see cref="HintedHandoff"/>; event ids 600–699 (docs/logging.md).</summary>
internal static partial class HintedHandoffLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "hint queue for {Node} is full ({Max}); dropping hints (anti-entropy will catch it up)")]
    public static partial void QueueFull(ILogger logger, string node, long max);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "replaying {Count} hints to {Node}")]
    public static partial void ReplayStarted(ILogger logger, long count, string node);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "hinted handoff to {Node} complete")]
    public static partial void ReplayComplete(ILogger logger, string node);
}
