using Microsoft.Extensions.Logging;

namespace RingKV.Cli.Hosting;

/// <summary>Console logging for the role processes: one line per event with a timestamp.</summary>
public static class Logging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
        })
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information));
}
