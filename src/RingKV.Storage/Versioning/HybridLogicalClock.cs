namespace RingKV.Storage.Versioning;

/// <summary>
/// A hybrid logical clock (Kulkarni, Demirbas, Madeppa, Avva, Leone, "Logical Physical Clocks", 2014) packed
/// into one <see cref="ulong"/>: milliseconds since the Unix epoch in the upper 48 bits, a logical counter in the
/// lower 16 bits. Values stay close to wall-clock time yet never go backwards, and a value observed from another
/// node is always exceeded by the next local value, so causally later writes get higher versions.
/// </summary>
/// <remarks>
/// <para>All members are thread-safe and lock-free: the state is one word advanced by compare-and-swap.</para>
/// <para>
/// Packing turns the paper's update rule ("take the maximum of the (physical, logical) pairs; bump the logical
/// part if the physical part did not move, else reset it") into integer arithmetic: the next value is
/// <c>max(Pack(wallMs, 0), last + 1)</c>. When the logical counter is at 65535 the <c>+ 1</c> carries into the
/// physical part, so the clock runs up to a few milliseconds ahead of the wall clock until it catches up; values
/// remain unique and ordered.
/// </para>
/// <para>There is no guard against a remote clock far in the future: observing it drags this clock along.</para>
/// </remarks>
public sealed class HybridLogicalClock
{
    /// <summary>Width of the logical counter in the low bits of a value.</summary>
    public const int LogicalBits = 16;

    /// <summary>Largest physical time a value can hold (2^48 - 1 ms, in the year 10889).</summary>
    public const long MaxPhysicalMs = (1L << (64 - LogicalBits)) - 1;

    private readonly TimeProvider _time;
    private ulong _last;

    /// <param name="timeProvider">Source of wall-clock time; <see cref="TimeProvider.System"/> when null.</param>
    public HybridLogicalClock(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Returns a value strictly greater than every value this clock has returned or observed.</summary>
    /// <exception cref="OverflowException">The clock has reached <see cref="ulong.MaxValue"/>.</exception>
    public ulong Now() => AdvancePast(0);

    /// <summary>
    /// Merges a timestamp received from another node (a replicated write, a hint) so that every later value of
    /// this clock exceeds it; returns the new value, which is greater than both <paramref name="remote"/> and
    /// every earlier value of this clock.
    /// </summary>
    /// <exception cref="OverflowException"><paramref name="remote"/> is <see cref="ulong.MaxValue"/>.</exception>
    public ulong Observe(ulong remote) => AdvancePast(remote);

    /// <summary>
    /// Returns a value strictly greater than <paramref name="floor"/> and than every earlier value of this clock.
    /// A primary passes the timestamp of the version it already holds for a key, so the new write supersedes it
    /// even if that version came from a node whose clock runs ahead.
    /// </summary>
    /// <exception cref="OverflowException"><paramref name="floor"/> is <see cref="ulong.MaxValue"/>.</exception>
    public ulong NextAfter(ulong floor) => AdvancePast(floor);

    /// <summary>Milliseconds since the Unix epoch held in the upper 48 bits of <paramref name="hlc"/>.</summary>
    public static long PhysicalMs(ulong hlc) => (long)(hlc >> LogicalBits);

    /// <summary>The logical counter held in the lower 16 bits of <paramref name="hlc"/>.</summary>
    public static ushort Logical(ulong hlc) => (ushort)hlc;

    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="ms"/> is negative or greater than <see cref="MaxPhysicalMs"/>.
    /// </exception>
    public static ulong Pack(long ms, ushort logical)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ms);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ms, MaxPhysicalMs);
        return ((ulong)ms << LogicalBits) | logical;
    }

    private ulong AdvancePast(ulong floor)
    {
        // Read once, outside the loop: a retry with a slightly old wall time is still correct because the
        // result is at least last + 1.
        var physical = Pack(Math.Clamp(_time.GetUtcNow().ToUnixTimeMilliseconds(), 0, MaxPhysicalMs), 0);
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(physical, checked(Math.Max(last, floor) + 1));
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
