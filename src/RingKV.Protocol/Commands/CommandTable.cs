namespace RingKV.Protocol.Commands;

/// <summary>
/// Maps command names (case-insensitive ASCII) to <see cref="RespCommand"/> without allocating.
/// </summary>
public static class CommandTable
{
    private const int MaxNameLength = 32;

    // Redis quotes at most this many bytes of a name, and of arguments together, in its error texts.
    private const int MaxQuoted = 128;

    private static readonly Dictionary<string, RespCommand> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PING"] = RespCommand.Ping,
        ["ECHO"] = RespCommand.Echo,
        ["QUIT"] = RespCommand.Quit,
        ["HELLO"] = RespCommand.Hello,
        ["AUTH"] = RespCommand.Auth,
        ["SELECT"] = RespCommand.Select,
        ["CLIENT"] = RespCommand.Client,
        ["COMMAND"] = RespCommand.Command,
        ["CONFIG"] = RespCommand.Config,
        ["INFO"] = RespCommand.Info,
        ["TIME"] = RespCommand.Time,
        ["LIST_NODES"] = RespCommand.ListNodes,
        ["GET_NODES_FOR_KEY"] = RespCommand.GetNodesForKey,
        ["CLUSTER_MAP"] = RespCommand.ClusterMap,
        ["CLUSTER"] = RespCommand.Cluster,
        ["REGISTER_NODE"] = RespCommand.RegisterNode,
        ["UNREGISTER_NODE"] = RespCommand.UnregisterNode,
        ["HEARTBEAT"] = RespCommand.Heartbeat,
        ["DECOMMISSION"] = RespCommand.Decommission,
        ["SLOTS_SYNCED"] = RespCommand.SlotsSynced,
        ["REBALANCE"] = RespCommand.Rebalance,
        ["OVERVIEW"] = RespCommand.Overview,
        ["COORDINATORS"] = RespCommand.Coordinators,
        ["REPAIR"] = RespCommand.Repair,
        ["GET"] = RespCommand.Get,
        ["SET"] = RespCommand.Set,
        ["PUT"] = RespCommand.Set,
        ["DEL"] = RespCommand.Del,
        ["DELETE"] = RespCommand.Del,
        ["EXISTS"] = RespCommand.Exists,
        ["MGET"] = RespCommand.MGet,
        ["MSET"] = RespCommand.MSet,
        ["DBSIZE"] = RespCommand.DbSize,
        ["CONSISTENCY"] = RespCommand.Consistency,
        ["GETDEL"] = RespCommand.GetDel,
        ["GETEX"] = RespCommand.GetEx,
        ["GETSET"] = RespCommand.GetSet,
        ["GETRANGE"] = RespCommand.GetRange,
        ["SETRANGE"] = RespCommand.SetRange,
        ["APPEND"] = RespCommand.Append,
        ["STRLEN"] = RespCommand.StrLen,
        ["SETNX"] = RespCommand.SetNx,
        ["SETEX"] = RespCommand.SetEx,
        ["PSETEX"] = RespCommand.PSetEx,
        ["MSETNX"] = RespCommand.MSetNx,
        ["INCR"] = RespCommand.Incr,
        ["DECR"] = RespCommand.Decr,
        ["INCRBY"] = RespCommand.IncrBy,
        ["DECRBY"] = RespCommand.DecrBy,
        ["INCRBYFLOAT"] = RespCommand.IncrByFloat,
        ["UNLINK"] = RespCommand.Unlink,
        ["TOUCH"] = RespCommand.Touch,
        ["TYPE"] = RespCommand.Type,
        ["RENAME"] = RespCommand.Rename,
        ["RENAMENX"] = RespCommand.RenameNx,
        ["OBJECT"] = RespCommand.Object,
        ["KEYS"] = RespCommand.Keys,
        ["SCAN"] = RespCommand.Scan,
        ["RANDOMKEY"] = RespCommand.RandomKey,
        ["FLUSHALL"] = RespCommand.FlushAll,
        ["FLUSHDB"] = RespCommand.FlushDb,
        ["LOLWUT"] = RespCommand.Lolwut,
        ["EXPIRE"] = RespCommand.Expire,
        ["PEXPIRE"] = RespCommand.PExpire,
        ["EXPIREAT"] = RespCommand.ExpireAt,
        ["PEXPIREAT"] = RespCommand.PExpireAt,
        ["TTL"] = RespCommand.Ttl,
        ["PTTL"] = RespCommand.PTtl,
        ["EXPIRETIME"] = RespCommand.ExpireTime,
        ["PEXPIRETIME"] = RespCommand.PExpireTime,
        ["PERSIST"] = RespCommand.Persist,
        ["RKV.FWD"] = RespCommand.Forward,
        ["RKV.REPLICATE"] = RespCommand.Replicate,
        ["RKV.READ"] = RespCommand.ReadRecord,
        ["RKV.LOCALGET"] = RespCommand.LocalGet,
        ["RKV.LOCALCOUNT"] = RespCommand.LocalCount,
        ["RKV.LOCALDEL"] = RespCommand.LocalDelete,
        ["RKV.DIGEST"] = RespCommand.Digest,
        ["RKV.VERSIONS"] = RespCommand.Versions,
        ["RKV.PULL"] = RespCommand.Pull,
        ["RKV.MREAD"] = RespCommand.MultiRead,
        ["RKV.SCANSLOTS"] = RespCommand.ScanSlots,
        ["RKV.COUNTSLOTS"] = RespCommand.CountSlots,
        ["RKV.CLOCK"] = RespCommand.Clock,
        ["RKV.FLUSH"] = RespCommand.Flush,
        ["RKV.FAULT"] = RespCommand.Fault,
        ["RKV.LEADER"] = RespCommand.LeaderForward,
    };

    private static readonly Dictionary<string, RespCommand>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>();

    // Node-to-node and node-to-coordinator commands: the RKV.* family and the coordinator's membership protocol.
    private static readonly bool[] s_internal = BuildInternal();

    /// <summary>
    /// Whether <paramref name="command"/> belongs to the cluster's own protocol (replication, forwarding, slot copies,
    /// registration, heartbeats), which only the cluster user may run once a cluster secret is set.
    /// </summary>
    public static bool IsInternal(RespCommand command) => (uint)command < (uint)s_internal.Length && s_internal[(int)command];

    private static bool[] BuildInternal()
    {
        var flags = new bool[Enum.GetValues<RespCommand>().Max(c => (int)c) + 1];
        foreach (var (name, command) in s_byName)
        {
            flags[(int)command] |= name.StartsWith("RKV.", StringComparison.Ordinal);
        }
        flags[(int)RespCommand.RegisterNode] = flags[(int)RespCommand.Heartbeat] = flags[(int)RespCommand.SlotsSynced] = true;
        return flags;
    }

    /// <summary>The names a role may list in COMMAND replies.</summary>
    public static IReadOnlyCollection<string> Names => s_byName.Keys;

    /// <summary>
    /// Key commands that change nothing, so running one twice is harmless: after a failure whose outcome is unknown
    /// (the request was sent, no answer came) only these may be sent to another node. A write could run twice, and a
    /// second run under a newer version would undo writes acknowledged in between.
    /// </summary>
    public static bool IsPureRead(RespCommand command) => command is RespCommand.Get or RespCommand.MGet
        or RespCommand.Exists or RespCommand.StrLen or RespCommand.GetRange or RespCommand.Ttl or RespCommand.PTtl
        or RespCommand.ExpireTime or RespCommand.PExpireTime;

    public static RespCommand Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return RespCommand.Unknown;
        }
        Span<char> chars = stackalloc char[MaxNameLength];
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] > 127)
            {
                return RespCommand.Unknown;
            }
            chars[i] = (char)name[i];
        }
        return s_lookup.TryGetValue(chars[..name.Length], out var command) ? command : RespCommand.Unknown;
    }

    /// <summary>ASCII case-insensitive comparison of an argument with an option name, without allocating.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> arg, string option)
    {
        if (arg.Length != option.Length)
        {
            return false;
        }
        for (var i = 0; i < arg.Length; i++)
        {
            if (char.ToUpperInvariant((char)arg[i]) != char.ToUpperInvariant(option[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Redis' reply to an unknown command, byte for byte: the name as <c>'%.128s'</c>, then arguments as <c>'%.*s' </c>
    /// while the argument text is under 128 bytes, each cut to what is left of those 128. Arguments are C strings there,
    /// so each ends at its first NUL; bytes are copied as they are, not decoded (the differential fuzzer found both).
    /// </summary>
    public static byte[] UnknownCommandError(RespRequest request)
    {
        var text = new List<byte>(256);
        text.AddRange("ERR unknown command '"u8);
        text.AddRange(CString(request[0], MaxQuoted));
        text.AddRange("', with args beginning with: "u8);
        var quoted = 0;
        for (var i = 1; i < request.Count && quoted < MaxQuoted; i++)
        {
            var arg = CString(request[i], MaxQuoted - quoted);
            text.Add((byte)'\'');
            text.AddRange(arg);
            text.AddRange("' "u8);
            quoted += arg.Length + 3;
        }
        return [.. text];
    }

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> arg, int maxLength)
    {
        var end = arg.IndexOf((byte)0);
        arg = end < 0 ? arg : arg[..end];
        return arg.Length > maxLength ? arg[..maxLength] : arg;
    }

    /// <summary>Redis' wrong-arity error, with the command name in lower case as Redis prints it.</summary>
    public static string WrongArityError(RespRequest request) =>
        $"ERR wrong number of arguments for '{Truncate(request.GetString(0)).ToLowerInvariant()}' command";

    private static string Truncate(string text) => text.Length > 128 ? text[..128] : text;
}
