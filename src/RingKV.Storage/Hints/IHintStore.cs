namespace RingKV.Storage.Hints;

/// <summary>
/// Durable per-target queues of hints. Appends are as durable as the engine's <see cref="FsyncPolicy"/> makes its
/// writes. Thread-safe: appends for any target may run concurrently with one reader/remover per target.
/// Bounds (count, age) are enforced by the caller, which knows the policy.
/// </summary>
public interface IHintStore : IDisposable
{
    /// <summary>Queues a hint for <paramref name="targetNodeId"/>; sequences grow per store, across restarts.</summary>
    void Append(string targetNodeId, int slot, ReadOnlySpan<byte> key, StoredRecord record, long nowMs);

    /// <summary>The oldest hints for <paramref name="targetNodeId"/>, at most <paramref name="max"/>, oldest first.</summary>
    IReadOnlyList<Hint> ReadOldest(string targetNodeId, int max);

    /// <summary>Removes the hint with <paramref name="sequence"/> for the target (after delivery, or when expired).</summary>
    void Remove(string targetNodeId, long sequence);

    /// <summary>Number of hints queued for the target.</summary>
    long Count(string targetNodeId);

    /// <summary>Targets that have at least one hint.</summary>
    IReadOnlyCollection<string> Targets();
}
