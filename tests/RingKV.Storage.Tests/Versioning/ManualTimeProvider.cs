namespace RingKV.Storage.Tests.Versioning;

/// <summary>A wall clock the test sets by hand; it may stand still or go backwards. Thread-safe.</summary>
internal sealed class ManualTimeProvider(long unixMs) : TimeProvider
{
    private long _unixMs = unixMs;

    public long UnixMs
    {
        get => Volatile.Read(ref _unixMs);
        set => Volatile.Write(ref _unixMs, value);
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMs);
}
