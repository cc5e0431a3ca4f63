namespace RingKV.Cluster.Tests;

/// <summary>A monotonic clock the test advances by hand (the Testing package is not in our offline feed). Thread-safe.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay; // arbitrary non-zero start

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);
}
