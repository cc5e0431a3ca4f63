using Microsoft.Extensions.Logging;

namespace RingKV.Node.Rebalancing;

/// <summary>Source-generated log messages of <see cref="Rebalancer"/>; event ids 300–399 (docs/logging.md).</summary>
internal static partial class RebalancerLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "slot copy interrupted, will retry: {Message}")]
    public static partial void CopyInterrupted(ILogger logger, string message);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "slot copy failed on local storage, will retry")]
    public static partial void CopyFailedOnStorage(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "transition {Transition}: copying {Slots} slots to this node")]
    public static partial void CopyStarted(ILogger logger, long transition, int slots);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "transition {Transition} ended while copying; stopping")]
    public static partial void TransitionEndedWhileCopying(ILogger logger, long transition);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information,
        Message = "transition {Transition}: copied {Slots} slots, {Keys} keys, {Bytes} bytes in {Ms} ms ({Rate:0.0} MB/s)")]
    public static partial void CopyFinished(ILogger logger, long transition, int slots, long keys, long bytes, long ms, double rate);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "{Missing} slots have no reachable holder; they wait for one")]
    public static partial void SlotsWithoutHolder(ILogger logger, int missing);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "dropped {Records} records of {Slots} slots this node no longer holds (epoch {Epoch})")]
    public static partial void SlotsDropped(ILogger logger, int records, int slots, long epoch);
}
