using Microsoft.Extensions.Logging;

namespace RingKV.Node.Replication;

/// <summary>Source-generated log messages of <see cref="Replicator"/>; event ids 700–799 (docs/logging.md).</summary>
internal static partial class ReplicatorLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "could not store a hint for {Node}")]
    public static partial void HintNotStored(ILogger logger, string node, Exception exception);
}
