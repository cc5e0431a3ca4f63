using RingKV.Fuzz.Targets;
using RingKV.Protocol;

namespace RingKV.Fuzz;

/// <summary>
/// Minimises a failing stream while it keeps failing: first whole requests are dropped (as RingKV's parser frames
/// them), then byte ranges of halving size (a simple delta debugging). Bounded by a number of attempts, since each
/// attempt of a socket target costs a round trip to the servers.
/// </summary>
internal static class Shrinker
{
    public static async Task<byte[]> ShrinkAsync(byte[] input, Func<byte[], Task<bool>> stillFails, int maxAttempts = 400)
    {
        var attempts = 0;
        async Task<bool> Try(byte[] candidate) => ++attempts <= maxAttempts && await stillFails(candidate);

        var current = input;
        // Whole requests, last first: the failing one is usually late and what precedes it often does not matter.
        var plan = RequestPlan.Of(current, RespLimits.Default);
        var starts = plan.Requests.Select(r => r.Offset).Append(plan.TailOffset < current.Length ? plan.TailOffset : -1).Where(o => o >= 0).ToList();
        for (var i = starts.Count - 1; i >= 0 && attempts < maxAttempts; i--)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : current.Length;
            var start = starts[i];
            if (start >= current.Length || end > current.Length || end <= start)
            {
                continue;
            }
            var candidate = current[..start].Concat(current[end..]).ToArray();
            if (await Try(candidate))
            {
                current = candidate;
                var removed = end - start;
                for (var j = i + 1; j < starts.Count; j++)
                {
                    starts[j] -= removed;
                }
            }
        }
        for (var size = current.Length / 2; size >= 1 && attempts < maxAttempts; size /= 2)
        {
            for (var start = 0; start + size <= current.Length && attempts < maxAttempts;)
            {
                var candidate = current[..start].Concat(current[(start + size)..]).ToArray();
                if (await Try(candidate))
                {
                    current = candidate;
                }
                else
                {
                    start += size;
                }
            }
        }
        return current;
    }
}
