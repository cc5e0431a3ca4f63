namespace RingKV.Protocol.Commands;

public static partial class CommandCatalog
{
    // What redis-cli and client libraries send before anything else; answered even while loading or unauthenticated.
    private const string HandshakeFlags = "noscript loading stale fast no_auth allow_busy";

    private const string ClientFlags = "noscript loading stale";

    private const string ClientAdminFlags = "admin noscript loading stale";

    private const string ClientAdminAcl = "@admin @slow @dangerous @connection";

    private static CommandSpec Connection(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax = "", CommandRoles roles = CommandRoles.Both) =>
        CommandSpec.Create(name, arity, flags, acl, "connection", since, complexity, summary, syntax, roles: roles);

    private static IEnumerable<CommandSpec> ConnectionCommands() =>
    [
        Connection("ping", -1, "fast", "@fast @connection", "1.0.0", "O(1)",
            "Checks the connection: replies PONG, or the message when one is given.", "[message]"),
        Connection("echo", 2, "loading stale fast", "@fast @connection", "1.0.0", "O(1)",
            "Replies with the message given.", "message"),
        Connection("quit", -1, HandshakeFlags, "@fast @connection", "1.0.0", "O(1)",
            "Replies OK and closes the connection."),
        Connection("auth", -2, HandshakeFlags, "@fast @connection", "1.0.0", "O(1)",
            "Authenticates the connection.", "[username] password"),
        Connection("hello", -1, HandshakeFlags, "@fast @connection", "6.0.0", "O(1)",
            "Switches the connection to RESP2 or RESP3, optionally naming it, and describes the server.",
            "[protover [AUTH username password] [SETNAME clientname]]"),
        Connection("select", 2, "loading stale fast", "@fast @connection", "1.0.0", "O(1)",
            "Selects a database by index; RingKV has only database 0.", "index"),
        Container("client", -2, "", "@slow", "connection", "2.4.0", "Depends on subcommand.",
            "Names, describes and closes client connections.", CommandRoles.Both,
            Client("client|setname", 3, ClientFlags, "@slow @connection", "2.6.9", "O(1)",
                "Names the current connection; the name shows in CLIENT LIST.", "connection-name"),
            Client("client|getname", 2, ClientFlags, "@slow @connection", "2.6.9", "O(1)",
                "Returns the name of the current connection, or nil."),
            Client("client|id", 2, ClientFlags, "@slow @connection", "5.0.0", "O(1)",
                "Returns the id of the current connection."),
            Client("client|info", 2, ClientFlags, "@slow @connection", "6.2.0", "O(1)",
                "Describes the current connection in the CLIENT LIST format."),
            Client("client|list", -2, ClientAdminFlags, ClientAdminAcl, "2.4.0", "O(N) where N is the number of connections",
                "Describes the open connections, one line each.",
                "[TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID client-id [client-id ...]]"),
            Client("client|setinfo", 4, ClientFlags, "@slow @connection", "7.2.0", "O(1)",
                "Records the name or version of the client library using the connection.",
                "LIB-NAME libname|LIB-VER libver"),
            Client("client|kill", -3, ClientAdminFlags, ClientAdminAcl, "2.4.0", "O(N) where N is the number of connections",
                "Closes the connections with the given address, or those matching the filters.",
                "ip:port|[ID client-id] [TYPE (NORMAL|MASTER|SLAVE|REPLICA|PUBSUB)] [USER username] [ADDR ip:port] " +
                "[LADDR ip:port] [SKIPME (YES|NO)]"),
            Client("client|no-evict", 3, ClientAdminFlags, ClientAdminAcl, "7.0.0", "O(1)",
                "Accepted for compatibility: RingKV never evicts clients.", "ON|OFF"),
            Client("client|no-touch", 3, ClientFlags, "@slow @connection", "7.2.0", "O(1)",
                "Accepted for compatibility: RingKV keeps no access times.", "ON|OFF"),
            Client("client|help", 2, "loading stale", "@slow @connection", "5.0.0", "O(1)",
                "Describes the CLIENT subcommands.")),
        Connection("consistency", -1, "loading stale fast", "@fast @connection", "1.0.0", "O(1)",
            "RingKV: shows this connection's read and write consistency levels, or sets one or both of them.",
            "[[READ|WRITE|BOTH] (ONE|QUORUM|ALL)]", CommandRoles.Node),
    ];

    private static CommandSpec Client(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax = "") =>
        CommandSpec.Create(name, arity, flags, acl, "connection", since, complexity, summary, syntax, roles: CommandRoles.Both);
}
