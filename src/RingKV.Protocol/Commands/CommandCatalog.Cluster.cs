namespace RingKV.Protocol.Commands;

public static partial class CommandCatalog
{
    private static CommandSpec Cluster(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax = "", string types = "", CommandRoles roles = CommandRoles.Node) =>
        CommandSpec.Create(name, arity, flags, acl, "cluster", since, complexity, summary, syntax, types: types, roles: roles);

    private static IEnumerable<CommandSpec> ClusterCommands() =>
    [
        Container("cluster", -2, "", "@slow", "cluster", "3.0.0", "Depends on subcommand.",
            "Describes the cluster the way Redis Cluster does, for cluster-aware clients.", CommandRoles.Node,
            Cluster("cluster|info", 2, "stale", "@slow", "3.0.0", "O(1)",
                "Returns the state of the cluster: slots assigned, nodes known, epoch."),
            Cluster("cluster|nodes", 2, "stale", "@slow", "3.0.0", "O(N) where N is the number of nodes",
                "Lists the nodes in the CLUSTER NODES line format."),
            Cluster("cluster|slots", 2, "stale", "@slow", "3.0.0", "O(N) where N is the number of nodes",
                "Maps each slot range to the node that serves it."),
            Cluster("cluster|shards", 2, "stale", "@slow", "7.0.0", "O(N) where N is the number of nodes",
                "Describes each shard: its slot ranges and its nodes."),
            Cluster("cluster|keyslot", 3, "stale", "@slow", "3.0.0", "O(N) where N is the length of the key",
                "Returns the hash slot of a key (CRC16 of the key or of its {hash tag}, modulo 16384).", "key",
                types: "key=string"),
            Cluster("cluster|myid", 2, "stale", "@slow", "3.0.0", "O(1)",
                "Returns the id of this node."),
            Cluster("cluster|countkeysinslot", 3, "stale", "@slow", "3.0.0", "O(1)",
                "Counts the keys of a hash slot.", "slot"),
            Cluster("cluster|getkeysinslot", 4, "stale", "@slow", "3.0.0", "O(N) where N is the number of keys returned",
                "Returns up to count keys of a hash slot.", "slot count"),
            Cluster("cluster|help", 2, "loading stale", "@slow", "5.0.0", "O(1)",
                "Describes the CLUSTER subcommands.")),
        Cluster("repair", 1, "admin noscript", "@admin @slow @dangerous", "1.0.0", "O(N) where N is the number of slots",
            "RingKV: runs anti-entropy now, comparing each shared slot's digest with every peer and pulling the keys that differ."),
    ];

    /// <summary>The original protocol's cluster views (nodes answer them from their map too) and the coordinator's own commands.</summary>
    private static IEnumerable<CommandSpec> CoordinatorCommands() =>
    [
        Cluster("list_nodes", 1, "stale", "@slow", "1.0.0", "O(N) where N is the number of nodes",
            "RingKV: lists the nodes, one line each: id, address, UP or DOWN.", roles: CommandRoles.Both),
        Cluster("get_nodes_for_key", 2, "stale", "@slow", "1.0.0", "O(N) where N is the replication factor",
            "RingKV: lists the nodes that hold a key, its primary first.", "key", "key=string", CommandRoles.Both),
        Cluster("cluster_map", 1, "stale", "@slow", "1.0.0", "O(N) where N is the number of nodes",
            "RingKV: returns the cluster map (nodes, ring, epoch) as JSON.", roles: CommandRoles.Both),
        Cluster("decommission", 2, "admin", "@admin @slow @dangerous", "1.0.0", "O(1)",
            "RingKV: removes a node from the ring once its slots have been copied to their new owners.", "node-id",
            roles: CommandRoles.Coordinator),
        Cluster("rebalance", 2, "stale", "@admin @slow", "1.0.0", "O(N) where N is the number of nodes",
            "RingKV: reports the progress of the current ring change as JSON.", "STATUS", roles: CommandRoles.Coordinator),
        Cluster("coordinators", 1, "stale", "@slow", "1.0.0", "O(N) where N is the number of coordinators",
            "RingKV: describes the coordinator group as JSON: its members, which one leads, the Raft term.",
            roles: CommandRoles.Coordinator),
    ];
}
