namespace RingKV.Protocol.Commands;

public static partial class CommandCatalog
{
    private static CommandSpec Generic(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax = "", string keys = "") =>
        CommandSpec.Create(name, arity, flags, acl, "generic", since, complexity, summary, syntax, keys);

    private static CommandSpec Expiry(string name, string since, string unit, string argument) =>
        Generic(name, -3, "write fast", "@keyspace @write @fast", since, "O(1)",
            $"Sets a key's expiry ({unit}); NX, XX, GT and LT apply it only under that condition. Returns 1 if it was set.",
            $"key {argument} [NX|XX|GT|LT]", "1 1 1 RW update");

    private static CommandSpec TimeToLive(string name, string since, string what) =>
        Generic(name, 2, "readonly fast", "@keyspace @read @fast", since, "O(1)",
            $"Returns {what}: -1 without expiry, -2 when the key does not exist.", "key", "1 1 1 RO access");

    private static IEnumerable<CommandSpec> GenericCommands() =>
    [
        Generic("del", -2, "write", "@keyspace @write @slow", "1.0.0", "O(N) where N is the number of keys",
            "Deletes keys and returns how many existed.", "key [key ...]", "1 -1 1 RM delete"),
        Generic("delete", -2, "write", "@keyspace @write @slow", "1.0.0", "O(N) where N is the number of keys",
            "RingKV's alias of DEL, the name of the original protocol.", "key [key ...]", "1 -1 1 RM delete"),
        Generic("unlink", -2, "write fast", "@keyspace @write @fast", "4.0.0", "O(N) where N is the number of keys",
            "Deletes keys and returns how many existed (the same as DEL in RingKV).", "key [key ...]", "1 -1 1 RM delete"),
        Generic("exists", -2, "readonly fast", "@keyspace @read @fast", "1.0.0", "O(N) where N is the number of keys",
            "Counts how many of the given keys exist; a key named twice counts twice.", "key [key ...]", "1 -1 1 RO"),
        Generic("type", 2, "readonly fast", "@keyspace @read @fast", "1.0.0", "O(1)",
            "Returns the type of the value of a key: string, or none when the key does not exist.", "key", "1 1 1 RO"),
        Generic("rename", 3, "write", "@keyspace @write @slow", "1.0.0", "O(1)",
            "Renames a key, replacing any value under the new name.", "key newkey", "1 2 1 RW access delete; OW update"),
        Generic("renamenx", 3, "write fast", "@keyspace @write @fast", "1.0.0", "O(1)",
            "Renames a key only when the new name does not exist; returns 1 if it did so.", "key newkey",
            "1 2 1 RW access delete; OW insert"),
        Generic("keys", 2, "readonly", "@keyspace @read @slow @dangerous", "1.0.0", "O(N) where N is the number of keys",
            "Returns every key matching a glob-style pattern, in no particular order.", "pattern"),
        Generic("scan", -2, "readonly", "@keyspace @read @slow", "2.8.0",
            "O(1) for every call, O(N) for a complete iteration",
            "Iterates over the keys: returns the next cursor and a batch of keys; cursor 0 starts and ends an iteration.",
            "cursor [MATCH pattern] [COUNT count] [TYPE type]"),
        Generic("randomkey", 1, "readonly", "@keyspace @read @slow", "1.0.0", "O(1)",
            "Returns a random key, or nil when there is none."),
        Generic("touch", -2, "readonly fast", "@keyspace @read @fast", "3.2.1", "O(N) where N is the number of keys",
            "Counts how many of the given keys exist, marking them as accessed.", "key [key ...]", "1 -1 1 RO"),
        Container("object", -2, "", "@slow", "generic", "2.2.3", "Depends on subcommand.",
            "Inspects how the value of a key is stored.", CommandRoles.Node,
            CommandSpec.Create("object|encoding", 3, "readonly", "@keyspace @read @slow", "generic", "2.2.3", "O(1)",
                "Returns the internal encoding of the value of a key: int, embstr or raw for strings.", "key", "2 2 1 RO"),
            CommandSpec.Create("object|help", 2, "loading stale", "@keyspace @slow", "generic", "6.2.0", "O(1)",
                "Describes the OBJECT subcommands.")),
        Expiry("expire", "1.0.0", "a time to live in seconds", "seconds"),
        Expiry("pexpire", "2.6.0", "a time to live in milliseconds", "milliseconds"),
        Expiry("expireat", "1.2.0", "a Unix time in seconds", "unix-time-seconds"),
        Expiry("pexpireat", "2.6.0", "a Unix time in milliseconds", "unix-time-milliseconds"),
        TimeToLive("ttl", "1.0.0", "a key's remaining time to live in seconds"),
        TimeToLive("pttl", "2.6.0", "a key's remaining time to live in milliseconds"),
        TimeToLive("expiretime", "7.0.0", "the Unix time in seconds at which a key expires"),
        TimeToLive("pexpiretime", "7.0.0", "the Unix time in milliseconds at which a key expires"),
        Generic("persist", 2, "write fast", "@keyspace @write @fast", "2.2.0", "O(1)",
            "Removes the expiry of a key; returns 1 if it had one.", "key", "1 1 1 RW update"),
    ];
}
