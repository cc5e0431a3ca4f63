using System.Buffers;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Fuzz.Targets;

/// <summary>
/// What a server must answer to a stream, as RingKV's own request parser frames it (the parser target checks that
/// parser on its own): one reply per non-empty request, up to and including a QUIT; then either one protocol error
/// and a close, or a connection still open (<see cref="Complete"/> when no partial request is left over).
/// </summary>
/// <param name="Requests">Each non-empty request's arguments, copied, and its start offset in the stream.</param>
/// <param name="TailOffset">Where parsing stopped: the start of the frame that failed or is still partial (the stream's length when neither).</param>
/// <param name="Predictable">False when a request can take the connection away by other means (CLIENT KILL): only the node's survival is checked then.</param>
internal sealed record RequestPlan(IReadOnlyList<(byte[][] Args, int Offset)> Requests, string? Error, int TailOffset, bool Complete, bool EndsWithQuit, bool Predictable)
{
    /// <summary>Strings a server may legitimately be asked to build, but that cost the fuzzer seconds and gigabytes per stream.</summary>
    public const long MaxBuiltString = 16L << 20;

    /// <summary>Replies expected before the connection's end (QUIT's own reply included, the protocol error not).</summary>
    public int ReplyCount => Requests.Count;

    /// <summary>
    /// The offset of the first request that makes a server build a string over <see cref="MaxBuiltString"/> (a
    /// SETRANGE at an offset a mutation pushed near 512 MB), or -1. Redis and RingKV both allocate it, as they should;
    /// the socket targets send only what precedes it, so one such stream does not slow every later one.
    /// </summary>
    public int HugeStringAt()
    {
        foreach (var (args, offset) in Requests)
        {
            if (args.Length == 4 && CommandTable.Lookup(args[0]) == RespCommand.SetRange && args[3].Length > 0
                && RedisInteger.TryParse(args[2], out var start) && start + args[3].Length > MaxBuiltString)
            {
                return offset;
            }
        }
        return -1;
    }

    public static RequestPlan Of(byte[] stream, RespLimits limits)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(stream));
        var request = new RespRequest();
        var requests = new List<(byte[][], int)>();
        var predictable = true;
        try
        {
            while (true)
            {
                var offset = (int)reader.Consumed;
                if (!RespRequestParser.TryParse(ref reader, request, limits))
                {
                    return new RequestPlan(requests, null, offset, offset == stream.Length, false, predictable);
                }
                if (request.Count == 0)
                {
                    continue;
                }
                var args = Enumerable.Range(0, request.Count).Select(request.ToArray).ToArray();
                requests.Add((args, offset));
                predictable &= !TakesConnectionAway(args);
                if (CommandTable.Lookup(args[0]) == RespCommand.Quit)
                {
                    return new RequestPlan(requests, null, (int)reader.Consumed, true, true, predictable);
                }
            }
        }
        catch (RespProtocolException ex)
        {
            return new RequestPlan(requests, ex.Message, (int)reader.Consumed, false, false, predictable);
        }
    }

    private static bool TakesConnectionAway(byte[][] args) =>
        args.Length > 1 && CommandTable.Lookup(args[0]) == RespCommand.Client && CommandTable.EqualsIgnoreCase(args[1], "KILL");
}
