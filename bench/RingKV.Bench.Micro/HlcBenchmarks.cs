using BenchmarkDotNet.Attributes;
using RingKV.Storage.Versioning;

namespace RingKV.Bench.Micro;

/// <summary>
/// The hybrid logical clock that versions every write: <c>Now</c>, <c>NextAfter</c> (a primary stamping a write past
/// the version it holds) and <c>Observe</c> (merging a replicated version). One call per SET; each is a wall-clock read
/// plus a compare-and-swap, so this is the floor a write pays for versioning. Uses the system clock, as a node does.
/// </summary>
[MemoryDiagnoser]
public class HlcBenchmarks
{
    private readonly HybridLogicalClock _clock = new(TimeProvider.System);
    private ulong _floor;
    private ulong _remote;

    [GlobalSetup]
    public void Setup()
    {
        // A stored version from a moment ago, and a remote one 5 ms ahead (a peer whose clock runs fast). After the
        // first calls the local clock has passed both, so the steady state measured is the common case: the floor or
        // remote value is behind the local clock and only the logical counter or wall time moves it.
        _floor = _clock.Now();
        _remote = HybridLogicalClock.Pack(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 5, 0);
    }

    [Benchmark]
    public ulong Now() => _clock.Now();

    [Benchmark]
    public ulong NextAfter() => _clock.NextAfter(_floor);

    [Benchmark]
    public ulong Observe() => _clock.Observe(_remote);
}
