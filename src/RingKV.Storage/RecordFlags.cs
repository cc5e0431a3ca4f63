namespace RingKV.Storage;

/// <summary>Per-record flags, stored as one byte by <see cref="RecordCodec"/>: values must never change.</summary>
[Flags]
public enum RecordFlags : byte
{
    None = 0,

    /// <summary>The record marks a delete; it carries a version but no value, and wins or loses like a write.</summary>
    Tombstone = 1,
}
