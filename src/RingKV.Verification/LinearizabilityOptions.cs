namespace RingKV.Verification;

/// <summary>Limits for <see cref="LinearizabilityChecker"/>. Immutable.</summary>
public sealed record LinearizabilityOptions
{
    public static LinearizabilityOptions Default { get; } = new();

    /// <summary>Wall-clock time for the whole history (all keys together); keys not decided by then are
    /// <see cref="LinearizabilityStatus.Unknown"/>. Default 10 s.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keys with more operations than this (after dropping those that cannot matter) are not searched and
    /// are reported <see cref="LinearizabilityStatus.Unknown"/>. Default 10,000.</summary>
    public int MaxOperationsPerKey { get; init; } = 10_000;
}
