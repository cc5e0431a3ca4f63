namespace RingKV.Protocol.Commands;

/// <summary>
/// Every command RingKV advertises through COMMAND, COMMAND INFO and COMMAND DOCS (and so through redis-cli's hints and
/// <c>HELP</c>), with its arity, flags, key positions, ACL categories, group, summary and syntax. Written by us, in
/// Redis 7's shapes; one file per command group. Immutable after type initialization; safe from any thread.
/// </summary>
/// <remarks>
/// The catalog describes; <see cref="CommandTable"/> dispatches. A test keeps every node entry known to the table, so
/// the catalog never advertises a command that would be answered "unknown command". Internal commands (node to node
/// <c>RKV.*</c>, the coordinator's REGISTER_NODE, HEARTBEAT, SLOTS_SYNCED) are deliberately absent.
/// </remarks>
public static partial class CommandCatalog
{
    private static readonly CommandSpec[] s_all =
    [
        .. StringCommands(), .. GenericCommands(), .. ConnectionCommands(), .. ServerCommands(), .. ClusterCommands(),
        .. CoordinatorCommands(),
    ];

    private static readonly RoleIndex s_node = new(s_all, CommandRoles.Node);

    private static readonly RoleIndex s_coordinator = new(s_all, CommandRoles.Coordinator);

    /// <summary>Every entry of every role, in catalog order (by group).</summary>
    public static IReadOnlyList<CommandSpec> All => s_all;

    /// <summary>The top-level entries <paramref name="role"/> serves (subcommands hang off their containers).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not exactly one role.</exception>
    public static IReadOnlyList<CommandSpec> For(CommandRoles role) => Index(role).Commands;

    /// <summary>
    /// The entry named <paramref name="name"/> (any case; <c>client|setname</c> for a subcommand) if
    /// <paramref name="role"/> serves it, else null.
    /// </summary>
    public static CommandSpec? Find(CommandRoles role, string name) =>
        Index(role).ByName.TryGetValue(name, out var spec) ? spec : null;

    private static RoleIndex Index(CommandRoles role) => role switch
    {
        CommandRoles.Node => s_node,
        CommandRoles.Coordinator => s_coordinator,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "a session serves exactly one role"),
    };

    /// <summary>A container command (CLIENT, CONFIG, ...): no arguments of its own, its subcommands named <c>name|sub</c>.</summary>
    private static CommandSpec Container(string name, int arity, string flags, string acl, string group, string since,
        string complexity, string summary, CommandRoles roles, params CommandSpec[] subcommands) =>
        CommandSpec.Create(name, arity, flags, acl, group, since, complexity, summary, roles: roles, subcommands: subcommands);

    private sealed class RoleIndex
    {
        public RoleIndex(CommandSpec[] all, CommandRoles role)
        {
            Commands = all.Where(c => (c.Roles & role) != 0).ToArray();
            ByName = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
            foreach (var command in Commands.Concat(Commands.SelectMany(c => c.Subcommands)))
            {
                // Add throws on a duplicate name: a catalog mistake surfaces at type initialization, in every test.
                ByName.Add(command.Name, command);
            }
        }

        public CommandSpec[] Commands { get; }

        public Dictionary<string, CommandSpec> ByName { get; }
    }
}
