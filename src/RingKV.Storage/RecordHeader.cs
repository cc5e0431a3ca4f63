using RingKV.Storage.Versioning;

namespace RingKV.Storage;

/// <summary>
/// A <see cref="StoredRecord"/> without its value: everything merging (<see cref="MergeRule"/>), visibility and
/// counting need. A value type, so an engine can keep one per key in memory without an object per key.
/// </summary>
public readonly record struct RecordHeader(RecordVersion Version, RecordFlags Flags, long ExpiresAtMs)
{
    public bool IsTombstone => (Flags & RecordFlags.Tombstone) != 0;

    /// <inheritdoc cref="StoredRecord.IsLive"/>
    public bool IsLive(long nowMs) => !IsTombstone && (ExpiresAtMs == 0 || nowMs < ExpiresAtMs);

    public static RecordHeader Of(StoredRecord record) => new(record.Version, record.Flags, record.ExpiresAtMs);
}
