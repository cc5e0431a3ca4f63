namespace RingKV.Nemesis;

/// <summary>
/// One setting of a <see cref="FaultProxy"/>: an immutable value, swapped as a whole so that a pump never sees half
/// of a change.
/// </summary>
public sealed record FaultBehavior
{
    private FaultBehavior(FaultKind kind, TimeSpan latency = default, TimeSpan jitter = default, double probability = 0, TimeSpan stall = default)
    {
        Kind = kind;
        Latency = latency;
        Jitter = jitter;
        Probability = probability;
        Stall = stall;
    }

    public FaultKind Kind { get; }

    /// <summary>The least time a chunk waits under <see cref="FaultKind.Delay"/>.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Under <see cref="FaultKind.Delay"/>, each chunk waits a further uniform random share of this.</summary>
    public TimeSpan Jitter { get; }

    /// <summary>Under <see cref="FaultKind.Loss"/>, the chance that a chunk is held for <see cref="Stall"/>.</summary>
    public double Probability { get; }

    /// <summary>How long a "lost" chunk is held under <see cref="FaultKind.Loss"/> (a retransmission timeout).</summary>
    public TimeSpan Stall { get; }

    /// <summary>Forward unchanged.</summary>
    public static FaultBehavior Pass { get; } = new(FaultKind.Pass);

    /// <summary>Stop forwarding, keep connections open (a partition as its victims see it).</summary>
    public static FaultBehavior Blackhole { get; } = new(FaultKind.Blackhole);

    /// <summary>Reset existing and new connections (a crashed process or a closed port).</summary>
    public static FaultBehavior Refuse { get; } = new(FaultKind.Refuse);

    /// <summary>Each chunk is forwarded <paramref name="latency"/> plus a uniform random share of <paramref name="jitter"/> after it was read.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative duration.</exception>
    public static FaultBehavior Delay(TimeSpan latency, TimeSpan jitter = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        return new FaultBehavior(FaultKind.Delay, latency, jitter);
    }

    /// <summary>
    /// With <paramref name="probability"/>, a chunk is held for <paramref name="stall"/> (e.g. 200 ms, Linux' minimum
    /// retransmission timeout) and the chunks behind it wait too. TCP cannot lose bytes without corrupting the stream,
    /// so this is how a lost segment looks to the application: late, never missing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability outside [0, 1] or a negative stall.</exception>
    public static FaultBehavior Loss(double probability, TimeSpan stall)
    {
        if (probability is < 0 or > 1 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability is between 0 and 1");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stall, TimeSpan.Zero);
        return new FaultBehavior(FaultKind.Loss, probability: probability, stall: stall);
    }

    public override string ToString() => Kind switch
    {
        FaultKind.Delay => $"delay {Latency.TotalMilliseconds:0} ms + jitter {Jitter.TotalMilliseconds:0} ms",
        FaultKind.Loss => $"loss {Probability:P0}, stall {Stall.TotalMilliseconds:0} ms",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
