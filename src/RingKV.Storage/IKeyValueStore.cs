using System.Diagnostics.CodeAnalysis;

namespace RingKV.Storage;

/// <summary>
/// A storage engine: a map from (slot, key) to the latest <see cref="StoredRecord"/>, merged by
/// <see cref="MergeRule"/>. Engines know nothing of replication; they make every replica's merge safe and local.
/// </summary>
/// <remarks>
/// <para>
/// Every member may be called concurrently from any number of threads. <see cref="Apply"/> is atomic per key:
/// its compare-versions-and-write never interleaves with another <see cref="Apply"/> of the same key, so
/// concurrent applies of one key always leave the highest version stored.
/// </para>
/// <para>
/// Every member takes the key's hash slot (0..<see cref="StorageSlots.Count"/>-1, computed by the caller) so an
/// engine can lay one slot out as one contiguous range (RocksDB prefixes keys with the big-endian slot), which
/// makes per-slot streaming and digests range scans. Members throw <see cref="ArgumentOutOfRangeException"/> for a
/// slot out of range and <see cref="ObjectDisposedException"/> after <see cref="IDisposable.Dispose"/>.
/// </para>
/// <para>
/// Stores return tombstones and expired records as they are: visibility (expiry, deletes) is the caller's
/// decision, because replication and repair must see them too. Returned keys and values must not be mutated.
/// </para>
/// </remarks>
public interface IKeyValueStore : IDisposable
{
    /// <summary>Gets the stored record for the key, including tombstones and expired records.</summary>
    bool TryGet(int slot, ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out StoredRecord record);

    /// <summary>
    /// Gets the stored record's version, flags and expiry without its value, tombstones and expired records included:
    /// what a writer needs to version a write above the copy it holds. Engines answer it from memory.
    /// </summary>
    bool TryGetHeader(int slot, ReadOnlySpan<byte> key, out RecordHeader header);

    /// <summary>
    /// Stores <paramref name="record"/> if it supersedes what the key holds (<see cref="MergeRule.Supersedes"/>).
    /// The key is copied if the engine keeps it; <paramref name="record"/> is kept as is.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    ApplyResult Apply(int slot, ReadOnlySpan<byte> key, StoredRecord record);

    /// <summary>
    /// Deletes the key's record only if it still has exactly <paramref name="version"/> (compare-and-delete), so a
    /// purge never removes a newer write that raced with it. Used to purge tombstones and expired records once
    /// their grace period is over; never to delete on behalf of a client (that is a tombstone write).
    /// </summary>
    /// <returns>Whether a record was removed.</returns>
    bool RemoveIfVersion(int slot, ReadOnlySpan<byte> key, Versioning.RecordVersion version);

    /// <summary>
    /// Number of records live at <paramref name="nowMs"/> (<see cref="StoredRecord.IsLive"/>). Under concurrent
    /// writes the answer is a momentary approximation; when writes are quiescent it is exact. Engines document
    /// their cost.
    /// </summary>
    long CountLive(long nowMs);

    /// <summary>
    /// Roughly how many bytes the stored data takes, for metrics and dashboards: the in-memory engine counts value
    /// bytes; RocksDB reports its own estimate of live data on disk plus its memtables. O(1).
    /// </summary>
    long ApproximateBytes { get; }

    /// <summary>
    /// <see cref="CountLive"/> restricted to one slot: O(1) while the slot holds no value with an expiry, a scan of
    /// the slot otherwise. Cluster-wide DBSIZE sums it over the slots each node leads.
    /// </summary>
    long CountLiveInSlot(int slot, long nowMs);

    /// <summary>
    /// Enumerates the records stored in <paramref name="slot"/>, tombstones and expired records included, in ascending
    /// ordinal byte order of the key (unsigned bytes compared in turn, a key before the longer keys it is a prefix of:
    /// RocksDB's bytewise order), starting strictly after <paramref name="after"/> when it is not null. Concurrent
    /// writes do not fail the enumeration: a key overwritten during it appears with its old or its new record, a key
    /// added or removed during it may or may not appear. No key appears twice and the order holds regardless.
    /// </summary>
    /// <remarks>
    /// The fixed order is what lets rebalancing and anti-entropy page through a slot with bounded replies: pass the
    /// last key of one page as <paramref name="after"/> of the next, and the concatenated pages equal one full scan,
    /// with the same allowance for concurrent writes.
    /// </remarks>
    /// <param name="after">
    /// Where to resume: only keys ordinally greater are returned. It need not be stored in the slot; the empty key
    /// skips only the empty key. Read by the call itself, so the caller may reuse the buffer afterwards.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">Thrown by the call itself, not on first enumeration.</exception>
    IEnumerable<KeyValuePair<byte[], StoredRecord>> ScanSlot(int slot, byte[]? after = null);

    /// <summary>
    /// Removes every record of <paramref name="slot"/>, tombstones and expired records included: a node drops the
    /// slots it no longer holds once a handoff has finished. Applies concurrent with the drop may survive it or not,
    /// each one entirely, and the live counts stay exact. Engines document their cost.
    /// </summary>
    /// <returns>How many records were removed.</returns>
    int DropSlot(int slot);

    /// <summary>
    /// Removes every record. Applies concurrent with the clear may survive it or not, each one entirely.
    /// </summary>
    void Clear();
}
