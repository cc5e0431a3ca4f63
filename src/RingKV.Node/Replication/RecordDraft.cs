using RingKV.Storage;
using RingKV.Storage.Versioning;

namespace RingKV.Node.Replication;

/// <summary>
/// A record a command decided to write, before the primary gives it a version: a value with its expiry, or a
/// tombstone. The version comes last because a superseded write is stamped again (see <see cref="WriteOutcome"/>).
/// </summary>
/// <remarks>A struct rather than a <c>Func&lt;RecordVersion, StoredRecord&gt;</c>: SET runs this on every request,
/// and a lambda capturing the value would allocate a closure and a delegate each time.</remarks>
public readonly record struct RecordDraft
{
    private readonly byte[]? _value;
    private readonly long _expiresAtMs;

    private RecordDraft(byte[]? value, long expiresAtMs)
    {
        _value = value;
        _expiresAtMs = expiresAtMs;
    }

    /// <summary>A delete: stamped, it becomes a tombstone.</summary>
    public static RecordDraft Tombstone => default;

    /// <summary>A value; <paramref name="expiresAtMs"/> is absolute Unix milliseconds, 0 for none.</summary>
    public static RecordDraft Value(byte[] value, long expiresAtMs = 0) => new(value, expiresAtMs);

    public StoredRecord Stamp(RecordVersion version) =>
        _value is null ? StoredRecord.Tombstone(version) : StoredRecord.ForValue(version, _value, _expiresAtMs);
}
