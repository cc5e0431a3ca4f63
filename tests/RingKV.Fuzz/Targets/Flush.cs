using RingKV.Fuzz.Servers;
using RingKV.Protocol;

namespace RingKV.Fuzz.Targets;

/// <summary>Empties a server's keyspace before a stream, so each stream's outcome depends on its bytes alone.</summary>
internal static class Flush
{
    private static readonly byte[] FlushAll = "*1\r\n$8\r\nFLUSHALL\r\n"u8.ToArray();
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Null when FLUSHALL answered +OK, else what happened.</summary>
    public static async Task<string?> FlushAsync(IServerUnderTest server)
    {
        var plan = RequestPlan.Of(FlushAll, RespLimits.Default);
        var transcript = await Transcript.RecordAsync(server.Port, FlushAll, plan, new Random(0), ReplyTimeout, TimeSpan.Zero);
        return transcript.Replies is [{ Raw: [(byte)'+', (byte)'O', (byte)'K', ..] }]
            ? null
            : $"{server.Name} did not answer FLUSHALL with +OK: {transcript}";
    }
}
