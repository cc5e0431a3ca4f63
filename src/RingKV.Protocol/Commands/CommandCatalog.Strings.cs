namespace RingKV.Protocol.Commands;

public static partial class CommandCatalog
{
    private const string SetSyntax =
        "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]";

    private static CommandSpec StringCommand(string name, int arity, string flags, string acl, string since, string complexity,
        string summary, string syntax, string keys, string types = "") =>
        CommandSpec.Create(name, arity, flags, acl, "string", since, complexity, summary, syntax, keys, types);

    private static IEnumerable<CommandSpec> StringCommands() =>
    [
        StringCommand("get", 2, "readonly fast", "@read @string @fast", "1.0.0", "O(1)",
            "Returns the string value of a key, or nil when the key does not exist.", "key", "1 1 1 RO access"),
        StringCommand("set", -3, "write denyoom", "@write @string @slow", "1.0.0", "O(1)",
            "Stores a string value under a key; options make it conditional, set an expiry or return the old value.",
            SetSyntax, "1 1 1 RW access update variable_flags"),
        StringCommand("put", -3, "write denyoom", "@write @string @slow", "1.0.0", "O(1)",
            "RingKV's alias of SET, the name of the original protocol.", SetSyntax, "1 1 1 RW access update variable_flags"),
        StringCommand("getset", 3, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Stores a string value under a key and returns the value it replaced.", "key value", "1 1 1 RW access update"),
        StringCommand("getdel", 2, "write fast", "@write @string @fast", "6.2.0", "O(1)",
            "Returns the string value of a key and deletes the key.", "key", "1 1 1 RW access delete"),
        StringCommand("getex", -2, "write fast", "@write @string @fast", "6.2.0", "O(1)",
            "Returns the string value of a key and changes or removes its expiry.",
            "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]", "1 1 1 RW access update"),
        StringCommand("getrange", 4, "readonly", "@read @string @slow", "2.4.0", "O(N) where N is the length of the returned string",
            "Returns the bytes of a key's value between two offsets (negative offsets count from the end).",
            "key start end", "1 1 1 RO access"),
        StringCommand("setrange", 4, "write denyoom", "@write @string @slow", "2.2.0", "O(M) where M is the length of the new value",
            "Overwrites part of a key's value from an offset, padding with zero bytes when the value is shorter.",
            "key offset value", "1 1 1 RW update"),
        StringCommand("append", 3, "write denyoom fast", "@write @string @fast", "2.0.0", "O(M) where M is the length of the new value",
            "Appends a string to a key's value (creating the key) and returns the new length.", "key value", "1 1 1 RW insert"),
        StringCommand("strlen", 2, "readonly fast", "@read @string @fast", "2.2.0", "O(1)",
            "Returns the length in bytes of a key's value, 0 when the key does not exist.", "key", "1 1 1 RO"),
        StringCommand("setnx", 3, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Stores a value only when the key does not exist; returns 1 if it did so.", "key value", "1 1 1 OW insert"),
        StringCommand("setex", 4, "write denyoom", "@write @string @slow", "2.0.0", "O(1)",
            "Stores a value with a time to live in seconds.", "key seconds value", "1 1 1 OW update"),
        StringCommand("psetex", 4, "write denyoom", "@write @string @slow", "2.6.0", "O(1)",
            "Stores a value with a time to live in milliseconds.", "key milliseconds value", "1 1 1 OW update"),
        StringCommand("mset", -3, "write denyoom", "@write @string @slow", "1.0.1", "O(N) where N is the number of keys",
            "Stores several values, each under its key.", "key value [key value ...]", "1 -1 2 OW update"),
        StringCommand("msetnx", -3, "write denyoom", "@write @string @slow", "1.0.1", "O(N) where N is the number of keys",
            "Stores several values only when none of the keys exists; returns 1 if it did so.",
            "key value [key value ...]", "1 -1 2 OW insert"),
        StringCommand("mget", -2, "readonly fast", "@read @string @fast", "1.0.0", "O(N) where N is the number of keys",
            "Returns the values of several keys, nil for each key that does not exist.", "key [key ...]", "1 -1 1 RO access"),
        StringCommand("incr", 2, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Adds 1 to the integer value of a key (a missing key counts as 0) and returns the result.", "key",
            "1 1 1 RW access update"),
        StringCommand("decr", 2, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Subtracts 1 from the integer value of a key (a missing key counts as 0) and returns the result.", "key",
            "1 1 1 RW access update"),
        StringCommand("incrby", 3, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Adds an integer to the integer value of a key (a missing key counts as 0) and returns the result.",
            "key increment", "1 1 1 RW access update"),
        StringCommand("decrby", 3, "write denyoom fast", "@write @string @fast", "1.0.0", "O(1)",
            "Subtracts an integer from the integer value of a key (a missing key counts as 0) and returns the result.",
            "key decrement", "1 1 1 RW access update"),
        StringCommand("incrbyfloat", 3, "write denyoom fast", "@write @string @fast", "2.6.0", "O(1)",
            "Adds a floating point number to the numeric value of a key (a missing key counts as 0) and returns the result.",
            "key increment", "1 1 1 RW access update", types: "increment=double"),
    ];
}
