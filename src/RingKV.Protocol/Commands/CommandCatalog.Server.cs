namespace RingKV.Protocol.Commands;

public static partial class CommandCatalog
{
    private const string ConfigFlags = "admin noscript loading stale";

    private const string ConfigAcl = "@admin @slow @dangerous";

    private static CommandSpec Server(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax = "", CommandRoles roles = CommandRoles.Both) =>
        CommandSpec.Create(name, arity, flags, acl, "server", since, complexity, summary, syntax, roles: roles);

    private static IEnumerable<CommandSpec> ServerCommands() =>
    [
        Server("dbsize", 1, "readonly fast", "@keyspace @read @fast", "1.0.0", "O(1)",
            "Returns the number of keys.", roles: CommandRoles.Node),
        Server("flushall", -1, "write", "@keyspace @write @slow @dangerous", "1.0.0", "O(N) where N is the number of keys",
            "Deletes every key.", "[ASYNC|SYNC]", CommandRoles.Node),
        Server("flushdb", -1, "write", "@keyspace @write @slow @dangerous", "1.0.0", "O(N) where N is the number of keys",
            "Deletes every key of the current database (RingKV has one, so the same as FLUSHALL).", "[ASYNC|SYNC]",
            CommandRoles.Node),
        Container("command", -1, "loading stale", "@slow @connection", "server", "2.8.13", "O(N) where N is the number of commands",
            "Describes every command this server answers (arity, flags, key positions).", CommandRoles.Both,
            Server("command|count", 2, "loading stale", "@slow @connection", "2.8.13", "O(1)",
                "Returns the number of commands this server answers."),
            Server("command|list", -2, "loading stale", "@slow @connection", "7.0.0", "O(N) where N is the number of commands",
                "Returns the names of the commands and subcommands, optionally only those in an ACL category or matching a pattern.",
                "[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern)]"),
            Server("command|info", -2, "loading stale", "@slow @connection", "2.8.13", "O(N) where N is the number of commands asked",
                "Describes the named commands, or every command; nil for an unknown name.", "[command-name [command-name ...]]"),
            Server("command|docs", -2, "loading stale", "@slow @connection", "7.0.0", "O(N) where N is the number of commands asked",
                "Documents the named commands, or every command: summary, group, arguments. Unknown names are left out.",
                "[command-name [command-name ...]]"),
            Server("command|help", 2, "loading stale", "@slow @connection", "5.0.0", "O(1)",
                "Describes the COMMAND subcommands.")),
        Container("config", -2, "", "@slow", "server", "2.0.0", "Depends on subcommand.",
            "Reads and changes server parameters.", CommandRoles.Both,
            Server("config|get", -3, ConfigFlags, ConfigAcl, "2.0.0", "O(N) where N is the number of parameters",
                "Returns the parameters matching glob-style patterns, with their values.", "parameter [parameter ...]"),
            Server("config|set", -4, ConfigFlags, ConfigAcl, "2.0.0", "O(N) where N is the number of parameters",
                "Changes parameters at run time.", "parameter value [parameter value ...]"),
            Server("config|resetstat", 2, ConfigFlags, ConfigAcl, "2.0.0", "O(1)",
                "Resets the statistics INFO reports."),
            Server("config|rewrite", 2, ConfigFlags, ConfigAcl, "2.8.0", "O(1)",
                "Refused: RingKV is configured by flags, not by a file it could rewrite."),
            Server("config|help", 2, "loading stale", "@slow", "5.0.0", "O(1)",
                "Describes the CONFIG subcommands.")),
        Server("info", -1, "loading stale", "@slow @dangerous", "1.0.0", "O(1)",
            "Returns information and statistics about the server, by section.", "[section [section ...]]"),
        Server("time", 1, "loading stale fast", "@fast", "2.6.0", "O(1)",
            "Returns the server's clock: Unix time in seconds and the microseconds within that second."),
        Server("lolwut", -1, "readonly fast", "@read @fast", "5.0.0", "",
            "Draws a piece of computer art and the server version.", "[VERSION version]", CommandRoles.Node),
    ];
}
