using System.Diagnostics;

namespace RingKV.Node.Rebalancing;

/// <summary>
/// Keeps slot copying under a byte rate so client traffic keeps most of the disk and network: a token bucket that
/// refills at the rate and holds at most one second of it, so an idle minute never allows a burst later. Shared by
/// every copy a node runs (joins, leaves, repair).
/// </summary>
public sealed class TransferThrottle(long bytesPerSecond)
{
    private readonly Lock _lock = new();
    private long _refilledAt = Stopwatch.GetTimestamp();
    private double _tokens = bytesPerSecond;

    /// <summary>0 means unlimited.</summary>
    public long BytesPerSecond { get; } = bytesPerSecond;

    /// <summary>Takes <paramref name="bytes"/> from the bucket and waits until it is no longer in debt.</summary>
    public Task AccountAsync(long bytes, CancellationToken cancellation)
    {
        if (BytesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }
        double debt;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(BytesPerSecond, _tokens + (Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * BytesPerSecond));
            _refilledAt = now;
            _tokens -= bytes;
            debt = -_tokens;
        }
        return debt > 0 ? Task.Delay(TimeSpan.FromSeconds(debt / BytesPerSecond), cancellation) : Task.CompletedTask;
    }
}
