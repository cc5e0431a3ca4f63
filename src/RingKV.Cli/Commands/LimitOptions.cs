using System.CommandLine;
using RingKV.Net;
using RingKV.Protocol;

namespace RingKV.Cli.Commands;

/// <summary>
/// The per-client limits both roles take (docs/limits.md), and the <see cref="ServerLimits"/> they make. Each flag
/// has Redis' name where Redis has the setting, and accepts Redis' values (sizes as <c>512mb</c>, <c>1gb</c>, or bytes),
/// so a redis.conf line carries over to a configuration file; CONFIG GET and SET use the same names and checks.
/// </summary>
internal static class LimitOptions
{
    private static readonly Option<string> s_maxBulk = Memory("--proto-max-bulk-len",
        "Largest accepted bulk string (Redis' proto-max-bulk-len)", "512mb", ServerLimits.MinBulkLength, long.MaxValue);

    private static readonly Option<int> s_maxArguments = Count("--proto-max-multibulk-len",
        "Most elements in one request's array (a longer one is a protocol error)", RespLimits.Default.MaxArguments, 1, "count");

    private static readonly Option<string> s_maxInline = Memory("--proto-inline-max-size",
        "Longest inline command line, and longest * or $ header line (Redis' PROTO_INLINE_MAX_SIZE)", "64kb", ServerLimits.MinInlineLength, int.MaxValue);

    private static readonly Option<string> s_queryBuffer = Memory("--client-query-buffer-limit",
        "Most unparsed input one client may have waiting; a client past it is disconnected (Redis' client-query-buffer-limit)",
        "1gb", ServerLimits.MinQueryBufferLimit, long.MaxValue);

    private static readonly Option<string> s_outputBuffer = OutputBuffer();

    private static readonly Option<int> s_maxClients = Count("--maxclients",
        "Most simultaneously open connections, other nodes' included (Redis' maxclients)", ServerLimits.DefaultMaxClients, 1, "count");

    private static readonly Option<int> s_timeout = Count("--timeout",
        "Close a client connection idle this many seconds; 0 = never; links between nodes are spared (Redis' timeout)", 0, 0, "seconds");

    private static readonly Option<int> s_maxPattern = Count("--max-pattern-len",
        "Longest glob pattern of KEYS, SCAN MATCH, CONFIG GET and COMMAND LIST", RespLimits.Default.MaxPatternLength, 1, "bytes");

    /// <summary>The options, in the order <c>--help</c> and <c>config show</c> list them.</summary>
    public static IReadOnlyList<Option> All { get; } =
        [s_maxBulk, s_maxArguments, s_maxInline, s_queryBuffer, s_outputBuffer, s_maxClients, s_timeout, s_maxPattern];

    /// <summary>The limits of a parse whose options were validated (a value they rejected never reaches here).</summary>
    public static ServerLimits Read(ParseResult result) => new()
    {
        Protocol = new RespLimits
        {
            MaxBulkLength = ConfigValues.ParseMemory(result.GetValue(s_maxBulk)!),
            MaxArguments = result.GetValue(s_maxArguments),
            MaxInlineLength = (int)ConfigValues.ParseMemory(result.GetValue(s_maxInline)!),
            MaxPatternLength = result.GetValue(s_maxPattern),
        },
        QueryBufferLimit = ConfigValues.ParseMemory(result.GetValue(s_queryBuffer)!),
        OutputBufferLimit = ConfigValues.TryParseOutputBufferLimit(result.GetValue(s_outputBuffer)!, out var hard) ? hard : 0,
        MaxClients = result.GetValue(s_maxClients),
        IdleTimeout = TimeSpan.FromSeconds(result.GetValue(s_timeout)),
    };

    private static Option<string> Memory(string name, string description, string defaultValue, long min, long max) =>
        Validated(new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "bytes" },
            ConfigValues.Memory(min, max));

    private static Option<string> OutputBuffer() => Validated(new Option<string>("--client-output-buffer-limit")
    {
        Description = "Most reply bytes one client may have waiting to be sent; a client that does not read is disconnected past it, "
            + "0 = no limit (Redis' client-output-buffer-limit hard limit; 'normal <hard> 0 0' is accepted too)",
        DefaultValueFactory = _ => "1gb",
        HelpName = "bytes",
    }, ConfigValues.OutputBufferLimit);

    private static Option<string> Validated(Option<string> option, Func<string, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (check(result.GetValueOrDefault<string>() ?? "") is { } error)
            {
                result.AddError($"{option.Name}: '{result.GetValueOrDefault<string>()}': {error}");
            }
        });
        return option;
    }

    private static Option<int> Count(string name, string description, int defaultValue, int min, string helpName)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < min)
            {
                result.AddError($"{name} must be at least {min}");
            }
        });
        return option;
    }
}
