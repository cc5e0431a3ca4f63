using Microsoft.Extensions.Logging;

namespace RingKV.Cluster.Client;

/// <summary>
/// Source-generated log messages of <see cref="CoordinatorLink"/>; event ids 1100–1199 (docs/logging.md), in the
/// category of the owner's logger (<c>cluster</c> on a node).
/// </summary>
internal static partial class CoordinatorLinkLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "coordinator {Coordinator} could not serve {Command}: {Reason}")]
    public static partial void CouldNotServe(ILogger logger, string coordinator, string command, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "now talking to coordinator {Coordinator}")]
    public static partial void Switched(ILogger logger, string coordinator);
}
