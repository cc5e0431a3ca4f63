using System.Diagnostics;

namespace RingKV.Node.Observability;

/// <summary>
/// Command latencies of every command in fixed exponential buckets, cumulative since start, so the p99 of any
/// window is the difference of two snapshots. The heartbeat reports the last interval's p99 to the coordinator,
/// which the dashboard charts; Prometheus scrapes the per-command histograms instead.
/// </summary>
/// <remarks>
/// Bucket <c>i</c> holds latencies up to <c>2^i</c> microseconds (bucket 0: up to 1 µs; the last: everything
/// longer), so a quantile is known to within a factor of two, which is what a chart of p99 needs. Recording is one
/// interlocked increment.
/// </remarks>
public sealed class LatencyWindow
{
    public const int BucketCount = 24; // up to 2^22 µs ≈ 4.2 s, then overflow

    private readonly long[] _counts = new long[BucketCount];

    public void Record(long elapsedTicks)
    {
        var micros = (ulong)(elapsedTicks * 1_000_000 / Stopwatch.Frequency);
        // Leading-zero count maps 0..1 µs to bucket 0, 2 µs to 1, 3..4 µs to 2, …: the ceiling of log2.
        var bucket = micros <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(micros - 1);
        Interlocked.Increment(ref _counts[Math.Min(bucket, BucketCount - 1)]);
    }

    public long[] Snapshot()
    {
        var copy = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            copy[i] = Interlocked.Read(ref _counts[i]);
        }
        return copy;
    }

    /// <summary>
    /// The upper bound in milliseconds of the bucket holding quantile <paramref name="q"/> of the commands recorded
    /// between two snapshots; 0 when none were.
    /// </summary>
    public static double Quantile(long[] before, long[] after, double q)
    {
        var total = 0L;
        for (var i = 0; i < BucketCount; i++)
        {
            total += after[i] - before[i];
        }
        if (total == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(total * q);
        var seen = 0L;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += after[i] - before[i];
            if (seen >= rank)
            {
                return Math.Pow(2, i) / 1000.0;
            }
        }
        return Math.Pow(2, BucketCount - 1) / 1000.0;
    }
}
