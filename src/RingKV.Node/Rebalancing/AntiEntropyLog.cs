using Microsoft.Extensions.Logging;

namespace RingKV.Node.Rebalancing;

/// <summary>Source-generated log messages of <see cref="AntiEntropy"/>; event ids 400–499 (docs/logging.md).</summary>
internal static partial class AntiEntropyLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "repair from {Peer} stopped: {Message}")]
    public static partial void RepairStopped(ILogger logger, string peer, string message);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information,
        Message = "repair pulled {Keys} keys ({Bytes} bytes) in {Differing} of {Compared} compared slots from {Peers} peers in {Ms} ms")]
    public static partial void RepairPulled(ILogger logger, long keys, long bytes, int differing, int compared, int peers, long ms);
}
