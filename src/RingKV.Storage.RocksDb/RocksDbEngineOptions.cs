namespace RingKV.Storage.RocksDb;

/// <summary>How a <see cref="RocksDbEngine"/> opens its directory. Immutable once built.</summary>
public sealed record RocksDbEngineOptions
{
    /// <summary>When writes reach stable storage; see <see cref="RocksDbEngine"/> for what each policy survives.</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.EverySecond;

    /// <summary>
    /// The node that owns the directory, written into its marker on first open and checked on every later open, so
    /// one node never starts on another's data. Null skips the check (and records no owner in a new directory).
    /// Must not be empty or contain line breaks.
    /// </summary>
    public string? NodeId { get; init; }
}
