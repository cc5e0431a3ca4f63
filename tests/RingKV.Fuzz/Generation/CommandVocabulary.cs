using System.Text;
using RingKV.Protocol.Commands;

namespace RingKV.Fuzz.Generation;

/// <summary>
/// The commands the generators call, with the shape of a well-formed call; the generator then bends arity and
/// arguments. Two views: <see cref="Differential"/> (answers that do not depend on time, placement or node identity,
/// so redis-server and a RingKV node must agree) and <see cref="Node"/> (everything a node serves, for the
/// command-layer target).
/// </summary>
/// <remarks>
/// Left out on purpose: CLIENT KILL and CONFIG SET maxclients (they would take the node away from the fuzzer itself,
/// not find a bug), TTL-style reads in the differential view (the two servers compute expiry at different instants),
/// and SETRANGE offsets that are valid but huge (both servers would allocate up to 512 MB).
/// </remarks>
internal sealed class CommandVocabulary
{
    private static readonly string[] NoOptions = [];
    // Expiry amounts come from slot E, which never lets a key expire while a stream runs (see EdgeValues.Expiries).
    // No SET with a past EXAT/PXAT: Redis keeps such a key until its expiry cycle runs, so DBSIZE would depend on timing.
    private static readonly string[] SetOptions = ["NX", "XX", "GET", "KEEPTTL", "EX E", "PX E", "EXAT 4102444800", "PXAT 4102444800000", "EX 1000", "PX 100000"];
    private static readonly string[] GetExOptions = ["PERSIST", "EX E", "PX E", "PXAT E", "EXAT E", "FOO"];
    private static readonly string[] ExpireOptions = ["NX", "XX", "GT", "LT"];
    private static readonly string[] SetRangeOffsets = ["0", "1", "3", "10", "100", "-1", "536870912", "536870913", "2147483648", "abc"];

    private static readonly CommandShape[] Shapes =
    [
        new("PING", "o", ["V"], true, 3),
        new("ECHO", "V", NoOptions, true, 2),
        new("GET", "K", NoOptions, true, 8),
        new("SET", "KVoo", SetOptions, true, 10),
        new("SETNX", "KV", NoOptions, true),
        new("GETSET", "KV", NoOptions, true),
        new("GETDEL", "K", NoOptions, true),
        new("GETEX", "Ko", GetExOptions, true),
        new("DEL", "K+", NoOptions, true),
        new("EXISTS", "K+", NoOptions, true),
        new("INCR", "K", NoOptions, true, 6),
        new("DECR", "K", NoOptions, true),
        new("INCRBY", "KI", NoOptions, true, 6),
        new("DECRBY", "KI", NoOptions, true),
        new("INCRBYFLOAT", "KF", NoOptions, true, 6),
        new("APPEND", "KV", NoOptions, true, 6),
        new("GETRANGE", "KII", NoOptions, true, 6),
        new("SETRANGE", "KOV", SetRangeOffsets, true, 6),
        new("STRLEN", "K", NoOptions, true),
        new("MSET", "W+", NoOptions, true, 6),
        new("MGET", "K+", NoOptions, true, 6),
        new("TYPE", "K", NoOptions, true, 2),
        new("DBSIZE", "", NoOptions, true, 2),
        new("SELECT", "I", NoOptions, true, 1),
        new("PERSIST", "K", NoOptions, true, 2),
        new("EXPIRE", "KEo", ExpireOptions, true, 2),
        new("QUIT", "", NoOptions, true, 1),
        new("NOSUCHCMD", "V+", NoOptions, true, 2),
        new("get", "K", NoOptions, true, 2),
        new("sEt", "KV", NoOptions, true, 2),

        new("PUT", "KVoo", SetOptions, false),
        new("DELETE", "K+", NoOptions, false, 2),
        new("SETEX", "KEV", NoOptions, false),
        new("PSETEX", "KEV", NoOptions, false),
        new("MSETNX", "W+", NoOptions, false),
        new("UNLINK", "K+", NoOptions, false, 2),
        new("TOUCH", "K+", NoOptions, false, 2),
        new("RENAME", "KK", NoOptions, false),
        new("RENAMENX", "KK", NoOptions, false),
        new("OBJECT", "OK", ["ENCODING", "FREQ", "IDLETIME", "REFCOUNT", "HELP", "NOPE"], false, 2),
        new("KEYS", "P", NoOptions, false),
        new("SCAN", "Ioo", ["MATCH P", "COUNT I", "TYPE string", "TYPE V"], false),
        new("RANDOMKEY", "", NoOptions, false, 2),
        new("FLUSHALL", "o", ["ASYNC", "SYNC", "V"], false, 1),
        new("FLUSHDB", "o", ["ASYNC", "SYNC"], false, 1),
        new("LOLWUT", "oo", ["VERSION I", "I"], false, 1),
        new("PEXPIRE", "KEo", ExpireOptions, false, 2),
        new("EXPIREAT", "KEo", ExpireOptions, false, 2),
        new("PEXPIREAT", "KEo", ExpireOptions, false, 2),
        new("TTL", "K", NoOptions, false, 2),
        new("PTTL", "K", NoOptions, false, 2),
        new("EXPIRETIME", "K", NoOptions, false, 2),
        new("PEXPIRETIME", "K", NoOptions, false, 2),
        new("CONSISTENCY", "oo", ["READ", "WRITE", "BOTH", "ONE", "QUORUM", "ALL", "V"], false, 2),
        new("HELLO", "oo", ["2", "3", "4", "I", "AUTH default V", "SETNAME V"], false, 2),
        new("AUTH", "V+", NoOptions, false, 1),
        new("CLIENT", "Oo", ["LIST", "INFO", "ID", "GETNAME", "SETNAME V", "SETINFO LIB-NAME V", "SETINFO LIB-VER V", "HELP", "NO-EVICT V", "REPLY V", "V"], false, 3),
        new("COMMAND", "oo", ["COUNT", "INFO", "DOCS", "LIST", "HELP", "GETKEYS", "V", "K"], false, 2),
        new("CONFIG", "Oo", ["GET P", "GET V", "SET read-consistency V", "SET write-consistency ONE", "SET write-consistency QUORUM", "SET V V", "RESETSTAT", "REWRITE", "HELP"], false, 2),
        new("INFO", "o+", ["server", "clients", "memory", "keyspace", "stats", "everything", "all", "V"], false, 2),
        new("TIME", "", NoOptions, false, 1),
        new("CLUSTER", "Oo", ["SLOTS", "SHARDS", "NODES", "INFO", "MYID", "KEYSLOT K", "COUNTKEYSINSLOT I", "GETKEYSINSLOT I I", "HELP", "V"], false, 2),
        new("LIST_NODES", "", NoOptions, false, 1),
        new("GET_NODES_FOR_KEY", "K", NoOptions, false, 1),
        new("CLUSTER_MAP", "", NoOptions, false, 1),
        new("REBALANCE", "o", ["STATUS", "V"], false, 1),
        new("RKV.LOCALGET", "K", NoOptions, false, 1),
        new("RKV.LOCALCOUNT", "o", ["I"], false, 1),
        new("RKV.READ", "K", NoOptions, false, 1),
        new("RKV.MREAD", "K+", NoOptions, false, 1),
        new("RKV.DIGEST", "I+", NoOptions, false, 1),
        new("RKV.VERSIONS", "I+", NoOptions, false, 1),
        new("RKV.SCANSLOTS", "I+", NoOptions, false, 1),
        new("RKV.COUNTSLOTS", "I+", NoOptions, false, 1),
        new("RKV.CLOCK", "o", ["I"], false, 1),
        new("RKV.FWD", "V+", NoOptions, false, 1),
        new("RKV.REPLICATE", "V+", NoOptions, false, 1),
        new("RKV.PULL", "V+", NoOptions, false, 1),
    ];

    private static readonly string[] Keys = ["k1", "k1", "k1", "k2", "k2", "k3", "{t}a", "{t}b", "counter", "", "\0", "k\r\nx", "\xff"];

    private readonly CommandShape[] _shapes;
    private readonly int _totalWeight;

    private readonly HashSet<RespCommand> _commands;

    private CommandVocabulary(IEnumerable<CommandShape> shapes)
    {
        _shapes = [.. shapes];
        _totalWeight = _shapes.Sum(s => s.Weight);
        _commands = [.. _shapes.Select(s => CommandTable.Lookup(Encoding.Latin1.GetBytes(s.Name)))];
    }

    /// <summary>Whether this vocabulary calls <paramref name="command"/> (by any of its names).</summary>
    public bool Covers(RespCommand command) => _commands.Contains(command);

    public static CommandVocabulary Differential { get; } = new(Shapes.Where(s => s.Differential));

    public static CommandVocabulary Node { get; } = new(Shapes);

    /// <summary>One request: mostly well-formed, sometimes with an argument too many or too few.</summary>
    public List<byte[]> Next(Random random)
    {
        var shape = Pick(random);
        var args = new List<byte[]> { Encoding.Latin1.GetBytes(shape.Name) };
        char previous = ' ';
        foreach (var slot in shape.Slots)
        {
            if (slot == '+')
            {
                for (var repeat = random.Next(5); repeat > 0; repeat--)
                {
                    Fill(args, previous, shape, random);
                }
                continue;
            }
            Fill(args, slot, shape, random);
            previous = slot;
        }
        switch (random.Next(12))
        {
            case 0 when args.Count > 1:
                args.RemoveAt(random.Next(1, args.Count));
                break;
            case 1:
                args.Insert(random.Next(1, args.Count + 1), Value(random));
                break;
        }
        return args;
    }

    private CommandShape Pick(Random random)
    {
        var ticket = random.Next(_totalWeight);
        foreach (var shape in _shapes)
        {
            ticket -= shape.Weight;
            if (ticket < 0)
            {
                return shape;
            }
        }
        return _shapes[^1];
    }

    private static void Fill(List<byte[]> args, char slot, CommandShape shape, Random random)
    {
        switch (slot)
        {
            case 'o' when random.Next(2) == 0:
                break;
            case 'o' or 'O':
                foreach (var word in shape.Options[random.Next(shape.Options.Length)].Split(' '))
                {
                    if (word.Length == 1 && "KVIFPWE".Contains(word[0], StringComparison.Ordinal))
                    {
                        Fill(args, word[0], shape, random);
                    }
                    else
                    {
                        args.Add(Encoding.Latin1.GetBytes(random.Next(6) == 0 ? word.ToLowerInvariant() : word));
                    }
                }
                break;
            case 'K':
                args.Add(Key(random));
                break;
            case 'V':
                args.Add(Value(random));
                break;
            case 'I':
                args.Add(Pick(random, EdgeValues.Integers));
                break;
            case 'E':
                args.Add(Pick(random, EdgeValues.Expiries));
                break;
            case 'F':
                args.Add(Pick(random, random.Next(3) == 0 ? EdgeValues.Integers : EdgeValues.Floats));
                break;
            case 'P':
                args.Add(Pick(random, EdgeValues.Patterns));
                break;
            case 'W':
                args.Add(Key(random));
                args.Add(Value(random));
                break;
        }
    }

    private static byte[] Key(Random random) => random.Next(40) == 0
        ? Encoding.Latin1.GetBytes(new string('a', random.Next(30, 300)))
        : Pick(random, Keys);

    /// <summary>Mostly short values; rarely long ones (past the 64 KB inline limit) and random binary.</summary>
    public static byte[] Value(Random random)
    {
        switch (random.Next(30))
        {
            case 0:
                return Encoding.Latin1.GetBytes(new string('x', random.Next(100, 2000)));
            case 1 when random.Next(10) == 0:
                return Encoding.Latin1.GetBytes(new string('y', 70_000));
            case 2:
            case 3:
                var bytes = new byte[random.Next(1, 40)];
                random.NextBytes(bytes);
                return bytes;
            case 4:
                return Pick(random, EdgeValues.Integers);
            default:
                return Pick(random, EdgeValues.Values);
        }
    }

    private static byte[] Pick(Random random, string[] texts) => Encoding.Latin1.GetBytes(texts[random.Next(texts.Length)]);
}
