using Microsoft.Extensions.Logging;

namespace RingKV.Cluster.Coordinator;

/// <summary>Source-generated log messages of <see cref="Membership"/>; event ids 100–199 (docs/logging.md).</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "epoch {Epoch}: {Reason}")]
    public static partial void EpochPublished(ILogger logger, long epoch, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "node {Node} is DOWN past the removal timeout but stays in the ring: {Remaining} other nodes cannot hold {Copies} copies")]
    public static partial void RemovalDeferred(ILogger logger, string node, int remaining, int copies);
}
