using System.Globalization;
using System.Net;
using System.Text;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>CONFIG GET / SET / RESETSTAT / REWRITE / HELP over the role's <see cref="ConfigTable"/> (Redis 7.0's config.c).</summary>
public abstract partial class ServerSession
{
    private static readonly string[] s_configHelp =
    [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>
    /// The parameters every role shares: <c>port</c> and <c>bind</c> (fixed: the node registered its address), the
    /// limits of docs/limits.md (settable as in Redis, applied to the server at once: <c>maxclients</c>, <c>timeout</c>,
    /// <c>proto-max-bulk-len</c>, <c>client-query-buffer-limit</c>, <c>client-output-buffer-limit</c>, and RingKV's
    /// <c>proto-max-multibulk-len</c>, <c>proto-inline-max-size</c>, <c>max-pattern-len</c>), and the Redis parameters
    /// clients and benchmarks probe (<c>save</c> "", <c>appendonly</c> no, <c>databases</c> 1, <c>daemonize</c> no),
    /// fixed. Roles add their own.
    /// </summary>
    /// <param name="limits">Reported until the session is attached to a server, which then reports its own.</param>
    /// <param name="port">Reported until the session is attached to a server, which then reports its real port.</param>
    protected ConfigTable ConnectionConfig(ServerLimits limits, string bind, int port)
    {
        ServerLimits Current() => Server?.Limits ?? limits;
        void Update(Func<ServerLimits, ServerLimits> change) => Server?.UpdateLimits(change);
        static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        return new ConfigTable()
            .ReadOnly("port", () => ((LocalEndPoint as IPEndPoint)?.Port ?? port).ToString(CultureInfo.InvariantCulture))
            .Constant("bind", bind)
            .Settable("maxclients", () => Text(Current().MaxClients), ConfigValues.Integer(1, uint.MaxValue),
                value => Update(l => l with { MaxClients = (int)Math.Min(ConfigValues.ParseInteger(value), int.MaxValue) }))
            .Settable("timeout", () => Text((long)Current().IdleTimeout.TotalSeconds), ConfigValues.Integer(0, int.MaxValue),
                value => Update(l => l with { IdleTimeout = TimeSpan.FromSeconds(ConfigValues.ParseInteger(value)) }))
            .Settable("proto-max-bulk-len", () => Text(Current().Protocol.MaxBulkLength), ConfigValues.Memory(ServerLimits.MinBulkLength, long.MaxValue),
                value => Update(l => l with { Protocol = l.Protocol with { MaxBulkLength = ConfigValues.ParseMemory(value) } }))
            .Settable("proto-max-multibulk-len", () => Text(Current().Protocol.MaxArguments), ConfigValues.Integer(1, int.MaxValue),
                value => Update(l => l with { Protocol = l.Protocol with { MaxArguments = (int)ConfigValues.ParseInteger(value) } }))
            .Settable("proto-inline-max-size", () => Text(Current().Protocol.MaxInlineLength), ConfigValues.Memory(ServerLimits.MinInlineLength, int.MaxValue),
                value => Update(l => l with { Protocol = l.Protocol with { MaxInlineLength = (int)ConfigValues.ParseMemory(value) } }))
            .Settable("max-pattern-len", () => Text(Current().Protocol.MaxPatternLength), ConfigValues.Integer(1, int.MaxValue),
                value => Update(l => l with { Protocol = l.Protocol with { MaxPatternLength = (int)ConfigValues.ParseInteger(value) } }))
            .Settable("client-query-buffer-limit", () => Text(Current().QueryBufferLimit), ConfigValues.Memory(ServerLimits.MinQueryBufferLimit, long.MaxValue),
                value => Update(l => l with { QueryBufferLimit = ConfigValues.ParseMemory(value) }))
            // Redis' form, for its one class RingKV has: "normal <hard> <soft> <soft seconds>".
            .Settable("client-output-buffer-limit", () => $"normal {Text(Current().OutputBufferLimit)} 0 0", ConfigValues.OutputBufferLimit,
                value => Update(l => l with { OutputBufferLimit = ConfigValues.TryParseOutputBufferLimit(value, out var hard) ? hard : l.OutputBufferLimit }))
            .Constant("daemonize", "no")
            .Constant("databases", "1")
            .Constant("save", "")
            .Constant("appendonly", "no");
    }

    private void Config(RespRequest request)
    {
        if (!TryResolveSubcommand(request, "config", out var subcommand))
        {
            return;
        }
        switch (subcommand)
        {
            case "config|get":
                ConfigGet(request);
                break;
            case "config|set":
                ConfigSet(request);
                break;
            case "config|resetstat":
                ConfigParameters.ResetStatistics?.Invoke();
                Writer.WriteOk();
                break;
            case "config|rewrite":
                Writer.WriteError("ERR The server is running without a config file"u8);
                break;
            default:
                WriteHelp(s_configHelp);
                break;
        }
    }

    // A name without glob characters is looked up directly and answered under the spelling the client used, as
    // Redis does; patterns answer with each parameter's own name. A parameter matched twice is listed once.
    private void ConfigGet(RespRequest request)
    {
        var table = ConfigParameters;
        var matches = new List<(string Name, ConfigEntry Entry)>();
        for (var i = 2; i < request.Count; i++)
        {
            if (GlobPattern.CheckLength(request[i], Limits.Protocol.MaxPatternLength) is { } tooLong)
            {
                Writer.WriteError(tooLong);
                return;
            }
            var pattern = request.GetString(i);
            if (pattern.AsSpan().IndexOfAny("[*?") < 0)
            {
                if (table.Find(pattern) is { } entry && !matches.Exists(m => m.Entry == entry))
                {
                    matches.Add((pattern, entry));
                }
                continue;
            }
            foreach (var entry in table.Entries)
            {
                if (GlobPattern.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(entry.Name), ignoreCase: true) && !matches.Exists(m => m.Entry == entry))
                {
                    matches.Add((entry.Name, entry));
                }
            }
        }
        Writer.WriteMapHeader(matches.Count);
        foreach (var (name, entry) in matches)
        {
            Writer.WriteBulkString(name);
            Writer.WriteBulkString(entry.Get());
        }
    }

    // All or nothing, in Redis' order of checks: unknown names, immutable or repeated parameters, then each value;
    // only when every value is valid is any of them applied.
    private void ConfigSet(RespRequest request)
    {
        if (request.Count % 2 != 0)
        {
            Writer.WriteError("ERR syntax error"u8);
            return;
        }
        var table = ConfigParameters;
        var changes = new List<(ConfigEntry Entry, string Value)>();
        string? unknown = null, failedArgument = null, reason = null;
        for (var i = 2; i < request.Count; i += 2)
        {
            var name = request.GetString(i);
            var entry = table.Find(name);
            if (entry is null)
            {
                if (failedArgument is null) { unknown ??= name; }
                continue;
            }
            if (unknown is not null || failedArgument is not null)
            {
                continue;
            }
            if (!entry.IsMutable)
            {
                (failedArgument, reason) = (name, "can't set immutable config");
            }
            else if (changes.Exists(c => c.Entry == entry))
            {
                (failedArgument, reason) = (name, "duplicate parameter");
            }
            changes.Add((entry, request.GetString(i + 1)));
        }
        if (unknown is null && failedArgument is null)
        {
            foreach (var (entry, value) in changes)
            {
                if (entry.Validate!(value) is { } error)
                {
                    (failedArgument, reason) = (entry.Name, error);
                    break;
                }
            }
        }
        if (unknown is not null)
        {
            Writer.WriteError($"ERR Unknown option or number of arguments for CONFIG SET - '{unknown}'");
            return;
        }
        if (failedArgument is not null)
        {
            Writer.WriteError($"ERR CONFIG SET failed (possibly related to argument '{failedArgument}') - {reason}");
            return;
        }
        foreach (var (entry, value) in changes)
        {
            entry.Apply!(value);
        }
        Writer.WriteOk();
    }
}
