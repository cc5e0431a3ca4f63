using Microsoft.Extensions.Logging;

namespace RingKV.Node.Membership;

/// <summary>Source-generated log messages of <see cref="ClusterAgent"/>; event ids 200–299 (docs/logging.md).</summary>
internal static partial class ClusterAgentLog
{
    /// <remarks>The caller picks the level: membership changes are Information, settle-progress epochs Debug.</remarks>
    [LoggerMessage(EventId = 200, Message = "cluster map epoch {Epoch}: {Nodes}{Transition}")]
    public static partial void MapChanged(ILogger logger, LogLevel level, long epoch, string nodes, string transition);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "coordinator {Coordinator} unreachable: {Message}")]
    public static partial void CoordinatorUnreachable(ILogger logger, string coordinator, string message);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "coordinator {Coordinator} refused the registration: {Error}")]
    public static partial void RegistrationRefused(ILogger logger, string coordinator, string? error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information,
        Message = "this node has left the cluster; it holds no slots and will not register again until restarted")]
    public static partial void LeftCluster(ILogger logger);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "coordinator {Coordinator} no longer knows this node ({Error}); registering again")]
    public static partial void UnknownToCoordinator(ILogger logger, string coordinator, string? error);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "coordinator {Coordinator} refused the slot report: {Error}")]
    public static partial void SlotReportRefused(ILogger logger, string coordinator, string? error);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning,
        Message = "coordinator {Coordinator} refused this node's credentials ({Message}): check --cluster-secret (and --requirepass) match the cluster's")]
    public static partial void CredentialsRefused(ILogger logger, string coordinator, string message);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "coordinator {Coordinator} refused the heartbeat: {Error}")]
    public static partial void HeartbeatRefused(ILogger logger, string coordinator, string? error);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "slot report failed: {Message}")]
    public static partial void SlotReportFailed(ILogger logger, string message);
}
