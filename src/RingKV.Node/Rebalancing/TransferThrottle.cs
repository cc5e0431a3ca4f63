using System.Diagnostics;

namespace RingKV.Node.Rebalancing;

/// <summary>
/// Keeps slot copying under a byte rate so client traffic keeps most of the disk and network: after each batch the
/// copier waits until the bytes so far fit the rate. Shared by every copy a node runs (joins, leaves, repair).
/// </summary>
public sealed class TransferThrottle(long bytesPerSecond)
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;

    /// <summary>0 means unlimited.</summary>
    public long BytesPerSecond { get; } = bytesPerSecond;

    /// <summary>Accounts <paramref name="bytes"/> and waits as long as the rate requires.</summary>
    public Task AccountAsync(long bytes, CancellationToken cancellation)
    {
        if (BytesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }
        TimeSpan wait;
        lock (_lock)
        {
            // A budget that only counts from the last second on: an idle minute must not allow a burst later.
            var elapsed = _clock.Elapsed;
            if (elapsed > TimeSpan.FromSeconds(1))
            {
                _bytes = Math.Max(0, _bytes - (long)(BytesPerSecond * (elapsed.TotalSeconds - 1)));
                _clock.Restart();
                _clock.Start();
                elapsed = TimeSpan.Zero;
            }
            _bytes += bytes;
            wait = TimeSpan.FromSeconds((double)_bytes / BytesPerSecond) - elapsed;
        }
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellation) : Task.CompletedTask;
    }
}
