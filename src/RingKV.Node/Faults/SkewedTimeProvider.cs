namespace RingKV.Node.Faults;

/// <summary>
/// The node's wall clock: the system's, shifted by an offset that fault injection can change at run time, so a
/// test can give one node a clock minutes ahead or behind the others. Monotonic timestamps (timeouts, timers) are
/// not shifted: only what the node believes the time of day is. Thread-safe.
/// </summary>
public sealed class SkewedTimeProvider : TimeProvider
{
    private long _offsetMs;

    /// <summary>How far this node's wall clock is from the system's (positive: ahead).</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromMilliseconds(Interlocked.Read(ref _offsetMs));
        set => Interlocked.Exchange(ref _offsetMs, (long)value.TotalMilliseconds);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddMilliseconds(Interlocked.Read(ref _offsetMs));
}
