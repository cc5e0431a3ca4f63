namespace RingKV.Protocol.Commands;

/// <summary>
/// What RingKV says about one command (or one subcommand, named <c>container|sub</c> as in Redis 7) in COMMAND INFO and
/// COMMAND DOCS. Immutable; the entries live in <see cref="CommandCatalog"/>.
/// </summary>
/// <remarks>
/// Flags, ACL categories and key-spec flags are kept in the order Redis 7.0 writes them (server.c
/// <c>addReplyFlagsForCommand</c>, acl.c <c>ACLCommandCategories</c>), so a reply lists them as Redis would.
/// </remarks>
public sealed class CommandSpec
{
    private static readonly string[] s_flagOrder =
    [
        "write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", "blocking", "loading", "stale",
        "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth", "no_mandatory_keys", "no_async_loading", "no_multi",
        "movablekeys", "allow_busy",
    ];

    private static readonly string[] s_aclOrder =
    [
        "@keyspace", "@read", "@write", "@set", "@sortedset", "@list", "@hash", "@string", "@bitmap", "@hyperloglog",
        "@geo", "@stream", "@pubsub", "@admin", "@fast", "@slow", "@blocking", "@dangerous", "@connection",
        "@transaction", "@scripting",
    ];

    private static readonly string[] s_keyFlagOrder =
        ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

    private CommandSpec(string name) => Name = name;

    /// <summary>Lower case; subcommands are <c>container|sub</c> (<c>client|setname</c>).</summary>
    public string Name { get; }

    /// <summary>Redis' convention: N = exactly N arguments counting the name, -N = at least N.</summary>
    public int Arity { get; private init; }

    public IReadOnlyList<string> Flags { get; private init; } = [];

    /// <summary>Legacy key positions of COMMAND INFO: first key, last key (-1 = last argument), step; 0 0 0 for none.</summary>
    public int FirstKey { get; private init; }

    public int LastKey { get; private init; }

    public int KeyStep { get; private init; }

    public IReadOnlyList<KeySpec> KeySpecs { get; private init; } = [];

    /// <summary>With the <c>@</c>, as COMMAND INFO lists them.</summary>
    public IReadOnlyList<string> AclCategories { get; private init; } = [];

    /// <summary>Redis' command group: <c>string</c>, <c>generic</c>, <c>connection</c>, <c>server</c>, <c>cluster</c>.</summary>
    public string Group { get; private init; } = "";

    /// <summary>The Redis version that introduced the command (RingKV's version for RingKV's own).</summary>
    public string Since { get; private init; } = "";

    public string Summary { get; private init; } = "";

    public string Complexity { get; private init; } = "";

    /// <summary>The arguments after the name in Redis' help-text notation (see <see cref="CommandSyntax"/>).</summary>
    public string Syntax { get; private init; } = "";

    public IReadOnlyList<CommandArgument> Arguments { get; private init; } = [];

    public IReadOnlyList<CommandSpec> Subcommands { get; private init; } = [];

    public CommandRoles Roles { get; private init; }

    /// <summary>Builds and checks an entry; the catalog calls this once per entry at type initialization.</summary>
    /// <param name="flags">Command flags separated by spaces (<c>"write denyoom"</c>).</param>
    /// <param name="acl">ACL categories with their <c>@</c>, separated by spaces.</param>
    /// <param name="keys"><c>"first last step flags"</c>, e.g. <c>"1 -1 2 OW update"</c>; several key specs at
    /// consecutive positions separate their flags with <c>;</c>: <c>"1 2 1 RW access delete; OW update"</c>.
    /// Empty for a command without keys.</param>
    /// <param name="types">Argument type overrides, <c>"name=type"</c> separated by spaces (<c>"increment=double"</c>).</param>
    /// <exception cref="ArgumentException">An unknown flag, category or type, or malformed key positions.</exception>
    /// <exception cref="FormatException"><paramref name="syntax"/> does not parse.</exception>
    public static CommandSpec Create(string name, int arity, string flags, string acl, string group, string since,
        string complexity, string summary, string syntax = "", string keys = "", string types = "",
        CommandRoles roles = CommandRoles.Node, IReadOnlyList<CommandSpec>? subcommands = null)
    {
        var (first, last, step, keySpecs) = ParseKeys(name, keys);
        return new CommandSpec(name.ToLowerInvariant())
        {
            Arity = arity,
            Flags = Ordered(name, flags, s_flagOrder),
            FirstKey = first,
            LastKey = last,
            KeyStep = step,
            KeySpecs = keySpecs,
            AclCategories = Ordered(name, acl, s_aclOrder),
            Group = group,
            Since = since,
            Complexity = complexity,
            Summary = summary,
            Syntax = syntax,
            Arguments = CommandSyntax.Parse(syntax, ParseTypes(name, types), keySpecs.Length),
            Subcommands = subcommands ?? [],
            Roles = roles,
        };
    }

    public override string ToString() => Syntax.Length == 0 ? Name.ToUpperInvariant() : $"{Name.ToUpperInvariant()} {Syntax}";

    private static string[] Ordered(string command, string names, string[] order)
    {
        var given = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = given.Except(order, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"{command}: unknown name(s) {string.Join(", ", unknown)}", nameof(names));
        }
        return order.Where(name => given.Contains(name)).ToArray();
    }

    private static (int First, int Last, int Step, KeySpec[] Specs) ParseKeys(string command, string keys)
    {
        if (keys.Length == 0)
        {
            return (0, 0, 0, []);
        }
        var groups = keys.Split(';', StringSplitOptions.TrimEntries);
        var head = groups[0].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (head.Length < 4 || !int.TryParse(head[0], out var first) || !int.TryParse(head[1], out var last)
            || !int.TryParse(head[2], out var step) || first < 1 || step < 1 || (last >= 0 && last < first))
        {
            throw new ArgumentException($"{command}: key positions '{keys}' are not 'first last step flags'", nameof(keys));
        }
        groups[0] = head[3];
        var specs = new KeySpec[groups.Length];
        for (var i = 0; i < groups.Length; i++)
        {
            var flags = Ordered(command, groups[i], s_keyFlagOrder);
            // One spec covers the whole range; several describe one key each (RENAME: source, then destination).
            specs[i] = groups.Length == 1
                ? new KeySpec(first, last < 0 ? last : last - first, step, flags)
                : new KeySpec(first + i * step, 0, 1, flags);
        }
        return (first, last, step, specs);
    }

    private static Dictionary<string, CommandArgumentType>? ParseTypes(string command, string types)
    {
        if (types.Length == 0)
        {
            return null;
        }
        var result = new Dictionary<string, CommandArgumentType>(StringComparer.Ordinal);
        foreach (var pair in types.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || !Enum.TryParse<CommandArgumentType>(parts[1].Replace("-", ""), ignoreCase: true, out var type))
            {
                throw new ArgumentException($"{command}: '{pair}' is not name=type", nameof(types));
            }
            result[parts[0]] = type;
        }
        return result;
    }
}
