using Microsoft.Extensions.Logging;

namespace RingKV.Node.Routing;

/// <summary>Source-generated log messages of <see cref="PeerLinks"/>; event ids 500–599 (docs/logging.md).</summary>
internal static partial class PeerLinksLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "peer {Peer} failed: {Message}")]
    public static partial void PeerFailed(ILogger logger, string peer, string message);
}
