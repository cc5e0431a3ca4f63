namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// Seeded random command sequences over a small keyspace, for the commands the fixed sequences cover (except the
/// nondeterministic or order-dependent OBJECT ENCODING, RANDOMKEY and SCAN).
/// </summary>
/// <remarks>
/// <para>Deterministic for a seed: <see cref="Random(int)"/> with a seed is a fixed algorithm across .NET versions,
/// and every choice comes from it. A failing seed is replayed by running that seed alone.</para>
/// <para>Replies must not depend on when a command runs, or redis-server and RingKV would legitimately disagree:
/// relative expiries are 1000 s or more (no key expires during a sequence) and absolute ones are far in the future
/// (2100) or far in the past (2001, deleting the key at once). GT and LT only come with absolute times: a relative
/// expiry compared with an equal relative one set a millisecond earlier would make the reply depend on timing.</para>
/// <para>Eight keys: three share the hash tag <c>{u}</c> (one slot), five do not, so multi-key commands span nodes;
/// except RENAME, RENAMENX and MSETNX, which stay within one slot (see <see cref="SameSlotKeys"/>).</para>
/// </remarks>
public static class RandomSequences
{
    public const int DefaultCount = 200;
    public const int DefaultLength = 40;

    private static readonly string[] Keys = ["{u}a", "{u}b", "{u}c", "k1", "k2", "k3", "x", "y"];
    private static readonly string[] TaggedKeys = ["{u}a", "{u}b", "{u}c"];

    private static readonly string[] Values =
    [
        "0", "1", "-1", "7", "42", "-100", "1000", "123456789",
        "9223372036854775807", "9223372036854775806", "-9223372036854775808", "-9223372036854775807",
        "1.5", "-0.25", "10.5", "3.0e3", "0.1",
        "foo", "bar", "hello world", "", "\0\r\n", "a\0b", "\xff\xfe", " 12", "+5", "12abc", new string('v', 50),
    ];

    private static readonly string[] IntegerOperands =
        ["1", "-1", "5", "-7", "100", "0", "9223372036854775807", "-9223372036854775808", "9223372036854775806", "abc", "1.5", ""];

    private static readonly string[] FloatOperands =
        ["0.5", "-1.25", "2", "3.0e3", "1e2", "-0.5", "0.1", "+1.5", "10", "abc", "inf", "", " 1"];

    private static readonly string[] RangeIndexes =
        ["0", "1", "2", "3", "-1", "-2", "-5", "10", "100", "-100", "9223372036854775807", "-9223372036854775808"];

    private static readonly string[] SetRangeOffsets = ["0", "1", "3", "7", "20", "-1"];

    private static readonly string[] RelativeSeconds = ["1000", "50000", "1000000"];
    private static readonly string[] RelativeMilliseconds = ["1000000", "50000000", "1000000000"];
    private static readonly string[] AbsoluteSeconds = ["4102444800", "4102448400", "1000000000"];
    private static readonly string[] AbsoluteMilliseconds = ["4102444800000", "4102448400000", "1000000000000"];

    private static readonly string[] Patterns = ["*", "k*", "{u}*", "?", "[xy]", "[^k]*", "*[0-9]", "k?", "nomatch*"];

    // No SET with a past EXAT/PXAT: Redis stores such a key and deletes it lazily or in its background expiry cycle,
    // so DBSIZE (which counts it until then) would depend on timing. GETEX and EXPIREAT with past times delete at once.
    private static readonly string[][] SetOptions =
    [
        [], [], [], [], ["NX"], ["XX"], ["GET"], ["NX", "GET"], ["XX", "GET"], ["KEEPTTL"], ["XX", "KEEPTTL", "GET"],
        ["EX", "1000"], ["PX", "5000000"], ["EXAT", "4102444800"], ["PXAT", "4102448400000"],
        ["XX", "EX", "50000"], ["NX", "PX", "2000000"],
        // Errors, about a fifth of the SETs.
        ["NX", "XX"], ["EX", "0"], ["EX", "-5"], ["EX", "abc"], ["KEEPTTL", "EX", "1000"], ["EX", "1000", "PX", "1000"], ["FOO"],
    ];

    private static readonly string[][] GetExOptions =
    [
        [], ["EX", "1000"], ["PX", "5000000"], ["EXAT", "4102444800"], ["PXAT", "4102448400000"], ["PXAT", "1000000000000"],
        ["PERSIST"], ["EX", "0"], ["EX", "abc"], ["PERSIST", "EX", "1000"], ["FOO"],
    ];

    private static readonly string[][] ExistenceFlags = [[], [], ["NX"], ["XX"]];
    private static readonly string[][] AllFlags = [[], ["NX"], ["XX"], ["GT"], ["LT"]];

    /// <summary>Wrong arity and syntax errors (a key placeholder K is replaced by a random key).</summary>
    private static readonly string[][] Malformed =
    [
        ["GET"], ["GET", "K", "K"], ["SET", "K"], ["GETSET", "K"], ["GETDEL"], ["GETEX"], ["GETRANGE", "K", "0"],
        ["SETRANGE", "K", "0"], ["SETRANGE", "K", "abc", "v"], ["APPEND", "K"], ["STRLEN"], ["SETNX", "K"], ["SETEX", "K", "1000"],
        ["PSETEX", "K", "1000000"], ["SETEX", "K", "abc", "v"], ["MSET", "K"], ["MSET", "K", "v", "K"], ["MSETNX", "K"], ["MGET"],
        ["INCR"], ["DECR", "K", "K"], ["INCRBY", "K"], ["DECRBY", "K", "1", "2"], ["INCRBYFLOAT", "K"], ["DEL"], ["UNLINK"],
        ["EXISTS"], ["TOUCH"], ["TYPE"], ["RENAME", "K"], ["RENAMENX", "K", "K", "K"], ["KEYS"], ["DBSIZE", "K"],
        ["EXPIRE", "K"], ["EXPIRE", "K", "abc"], ["EXPIRE", "K", "1000", "NX", "XX"], ["EXPIRE", "K", "1000", "GT", "LT"],
        ["PEXPIRE", "K", "1000000", "FOO"], ["EXPIRE", "K", "9223372036854775807"], ["TTL"], ["PTTL", "K", "K"], ["PERSIST"],
        ["EXPIRETIME"], ["NOSUCHCOMMAND", "K"],
    ];

    private static readonly (int Weight, Func<Random, string[]> Make)[] Mix =
    [
        (10, r => ["SET", Key(r), Value(r), .. Pick(r, SetOptions)]),
        (6, r => ["GET", Key(r)]),
        (2, r => ["GETSET", Key(r), Value(r)]),
        (2, r => ["GETDEL", Key(r)]),
        (3, r => ["GETEX", Key(r), .. Pick(r, GetExOptions)]),
        (3, r => ["GETRANGE", Key(r), Pick(r, RangeIndexes), Pick(r, RangeIndexes)]),
        (3, r => ["SETRANGE", Key(r), Pick(r, SetRangeOffsets), Value(r)]),
        (4, r => ["APPEND", Key(r), Value(r)]),
        (2, r => ["STRLEN", Key(r)]),
        (2, r => ["SETNX", Key(r), Value(r)]),
        (2, r => ["SETEX", Key(r), Pick(r, RelativeSeconds), Value(r)]),
        (1, r => ["PSETEX", Key(r), Pick(r, RelativeMilliseconds), Value(r)]),
        (3, r => ["MSET", .. Pairs(r)]),
        (2, r => ["MSETNX", .. SameSlotPairs(r)]),
        (3, r => ["MGET", .. SomeKeys(r)]),
        (4, r => ["INCR", Key(r)]),
        (2, r => ["DECR", Key(r)]),
        (3, r => ["INCRBY", Key(r), Pick(r, IntegerOperands)]),
        (2, r => ["DECRBY", Key(r), Pick(r, IntegerOperands)]),
        (4, r => ["INCRBYFLOAT", Key(r), Pick(r, FloatOperands)]),
        (3, r => ["DEL", .. SomeKeys(r)]),
        (2, r => ["UNLINK", .. SomeKeys(r)]),
        (3, r => ["EXISTS", .. SomeKeys(r)]),
        (1, r => ["TOUCH", .. SomeKeys(r)]),
        (2, r => ["TYPE", Key(r)]),
        (2, r => ["RENAME", .. SameSlotKeys(r, 2)]),
        (2, r => ["RENAMENX", .. SameSlotKeys(r, 2)]),
        (2, r => ["KEYS", Pick(r, Patterns)]),
        (2, r => ["DBSIZE"]),
        (5, Expire),
        (2, r => ["TTL", Key(r)]),
        (2, r => ["PTTL", Key(r)]),
        (1, r => ["EXPIRETIME", Key(r)]),
        (1, r => ["PEXPIRETIME", Key(r)]),
        (2, r => ["PERSIST", Key(r)]),
        (1, r => r.Next(2) == 0 ? ["FLUSHDB"] : ["FLUSHDB", "ASYNC"]),
        (4, r => [.. Pick(r, Malformed).Select(a => a == "K" ? Key(r) : a)]),
    ];

    private static readonly int TotalWeight = Mix.Sum(m => m.Weight);

    /// <summary>Sequence number <paramref name="seed"/>: <paramref name="length"/> commands, named "random seed N".</summary>
    public static CommandSequence Generate(int seed, int length = DefaultLength)
    {
        var random = new Random(seed);
        var commands = new List<RedisCommand>(length);
        for (var i = 0; i < length; i++)
        {
            commands.Add(RedisCommand.Of(Next(random)));
        }
        return new CommandSequence($"random seed {seed}", commands);
    }

    private static string[] Next(Random random)
    {
        var roll = random.Next(TotalWeight);
        foreach (var (weight, make) in Mix)
        {
            if (roll < weight)
            {
                return make(random);
            }
            roll -= weight;
        }
        throw new InvalidOperationException("the weights do not sum to TotalWeight");
    }

    private static string[] Expire(Random random) => random.Next(4) switch
    {
        0 => ["EXPIRE", Key(random), Pick(random, RelativeSeconds), .. Pick(random, ExistenceFlags)],
        1 => ["PEXPIRE", Key(random), Pick(random, RelativeMilliseconds), .. Pick(random, ExistenceFlags)],
        2 => ["EXPIREAT", Key(random), Pick(random, AbsoluteSeconds), .. Pick(random, AllFlags)],
        _ => ["PEXPIREAT", Key(random), Pick(random, AbsoluteMilliseconds), .. Pick(random, AllFlags)],
    };

    private static string Key(Random random) => Pick(random, Keys);

    private static string Value(Random random) => Pick(random, Values);

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];

    /// <summary>One to four keys, repeats allowed (DEL and EXISTS count duplicates differently).</summary>
    private static string[] SomeKeys(Random random) => [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => Key(random))];

    private static string[] Pairs(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => new[] { Key(random), Value(random) })];

    /// <summary>
    /// Keys of one hash slot: tagged ones, or one untagged key repeated. RingKV answers CROSSSLOT to the atomic
    /// multi-key commands (RENAME, RENAMENX, MSETNX) over several slots, by design (the Redis Cluster rule), so
    /// comparing those with standalone Redis would only repeat that known difference.
    /// </summary>
    private static string[] SameSlotKeys(Random random, int count)
    {
        if (random.Next(4) == 0)
        {
            var key = Key(random);
            return [.. Enumerable.Repeat(key, count)];
        }
        return [.. Enumerable.Range(0, count).Select(_ => Pick(random, TaggedKeys))];
    }

    private static string[] SameSlotPairs(Random random) =>
        [.. SameSlotKeys(random, random.Next(1, 4)).SelectMany(key => new[] { key, Value(random) })];
}
