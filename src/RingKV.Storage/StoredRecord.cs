using RingKV.Storage.Versioning;

namespace RingKV.Storage;

/// <summary>
/// What a store holds for one key: a value or a tombstone, its version and its absolute expiry. Records are
/// immutable and shared freely between threads, stores and the network layer.
/// </summary>
/// <remarks>
/// <see cref="Value"/> is not copied: the record owns the array it was given, and nobody may mutate it afterwards.
/// Equality is by reference (stores rely on it to detect a concurrent replacement).
/// </remarks>
public sealed class StoredRecord
{
    private StoredRecord(RecordVersion version, RecordFlags flags, long expiresAtMs, byte[] value)
    {
        Version = version;
        Flags = flags;
        ExpiresAtMs = expiresAtMs;
        Value = value;
    }

    public RecordVersion Version { get; }

    public RecordFlags Flags { get; }

    /// <summary>Absolute expiry in milliseconds since the Unix epoch; 0 means the record never expires.</summary>
    public long ExpiresAtMs { get; }

    /// <summary>The value; empty for a tombstone. Read-only by contract.</summary>
    public byte[] Value { get; }

    public bool IsTombstone => (Flags & RecordFlags.Tombstone) != 0;

    /// <summary>
    /// True when the record is a value that has not expired at <paramref name="nowMs"/>. Expiry is inclusive:
    /// at <c>nowMs == ExpiresAtMs</c> the record is already gone, as in Redis.
    /// </summary>
    public bool IsLive(long nowMs) => !IsTombstone && (ExpiresAtMs == 0 || nowMs < ExpiresAtMs);

    /// <summary>
    /// Creates a value record that takes ownership of <paramref name="value"/>; <paramref name="expiresAtMs"/> is
    /// absolute Unix milliseconds, or 0 for no expiry.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresAtMs"/> is negative.</exception>
    public static StoredRecord ForValue(RecordVersion version, byte[] value, long expiresAtMs = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(expiresAtMs);
        return new StoredRecord(version, RecordFlags.None, expiresAtMs, value);
    }

    /// <summary>Creates a delete marker; it never expires (purging tombstones is a store's policy, not a TTL).</summary>
    public static StoredRecord Tombstone(RecordVersion version) => new(version, RecordFlags.Tombstone, 0, []);

    public override string ToString() =>
        IsTombstone ? $"tombstone @{Version}" : $"{Value.Length} bytes @{Version}, expires {ExpiresAtMs}";
}
