namespace RingKV.Node.Tests;

/// <summary>
/// A clock that moves only when a test says so, so expiry moments can be hit to the millisecond. The monotonic
/// clock (<see cref="TimeProvider.GetTimestamp"/>, elapsed times) moves with it.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;

    public void AdvanceMs(long milliseconds) => _now += TimeSpan.FromMilliseconds(milliseconds);
}
