using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RingKV.Cli.Hosting;

/// <summary>
/// Console logging for the role processes and the options that shape it (<c>--log-level</c>, <c>--log-format</c>,
/// <c>--verbose</c>). Events and their ids: docs/logging.md.
/// </summary>
/// <remarks>
/// Log lines go to stdout next to the ready line (<c>RINGKV READY …</c>) that harnesses wait for. Neither format can be
/// mistaken for it: a text line starts with its timestamp, a JSON line with <c>{</c>, and the console logger writes
/// each event with one call on the synchronized <see cref="Console.Out"/>, so lines never interleave mid-line.
/// </remarks>
public static class Logging
{
    private static readonly string[] s_levels = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    public static readonly Option<string> LevelOption = Accepting(new Option<string>("--log-level")
    {
        Description = "Lowest level logged: trace, debug, information, warning, error, critical or none",
        DefaultValueFactory = _ => "information",
        HelpName = "level",
    }, s_levels);

    public static readonly Option<string> FormatOption = Accepting(new Option<string>("--log-format")
    {
        Description = "text (one line per event with a timestamp) or json (one JSON object per line, for log shippers)",
        DefaultValueFactory = _ => "text",
        HelpName = "format",
    }, ["text", "json"]);

    public static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Shorthand for --log-level debug" };

    /// <summary>The logger factory a role's options ask for; the caller disposes it (which flushes queued lines).</summary>
    public static ILoggerFactory Create(ParseResult result)
    {
        var level = Enum.Parse<LogLevel>(result.GetValue(LevelOption)!, ignoreCase: true);
        // --verbose only ever adds detail: with --log-level trace it leaves trace on.
        if (result.GetValue(VerboseOption) && level > LogLevel.Debug)
        {
            level = LogLevel.Debug;
        }
        var json = string.Equals(result.GetValue(FormatOption), "json", StringComparison.OrdinalIgnoreCase);
        return LoggerFactory.Create(builder =>
        {
            if (json)
            {
                builder.AddJsonConsole(options =>
                {
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    options.UseUtcTimestamp = true;
                    // No scopes: nothing in RingKV opens one, and ASP.NET Core's request scopes would only add noise.
                    options.IncludeScopes = false;
                    options.JsonWriterOptions = new JsonWriterOptions { Indented = false };
                });
            }
            else
            {
                builder.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.TimestampFormat = "HH:mm:ss.fff ";
                });
            }
            builder.SetMinimumLevel(level);
            // The Raft library logs every unreachable peer as a warning with a stack trace, which during a normal start
            // (members come up one by one) or a partition floods the log; the group's own events (150–159) say what
            // matters. Its messages still show at debug level and below.
            builder.AddFilter("DotNext", level <= LogLevel.Debug ? level : LogLevel.Error);
        });
    }

    private static Option<string> Accepting(Option<string> option, string[] values)
    {
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, values);
        return option;
    }
}
