namespace RingKV.Cluster.Tests;

/// <summary>
/// A clock the test advances by hand (the Testing package is not in our offline feed): both the monotonic timestamp
/// and the wall clock move only in <see cref="Advance"/>. Thread-safe.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset s_start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _ticks = TimeSpan.TicksPerDay; // arbitrary non-zero start

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => s_start + TimeSpan.FromTicks(Volatile.Read(ref _ticks));

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);
}
