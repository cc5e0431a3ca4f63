using Microsoft.Extensions.Logging;

namespace RingKV.Cli.Hosting;

/// <summary>Source-generated log messages of a role's startup configuration; event ids 1000–1099 (docs/logging.md).</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{Role} setting {Key} = {Value} ({Source})")]
    public static partial void Setting(ILogger logger, string role, string key, string? value, string source);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "environment variable {Variable} ignored: not a {Role} setting")]
    public static partial void VariableIgnored(ILogger logger, string variable, string role);
}
