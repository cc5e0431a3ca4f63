namespace RingKV.Storage.Maintenance;

/// <summary>Whole-slot operations on an <see cref="IKeyValueStore"/>, built on its per-record members.</summary>
public static class SlotMaintenance
{
    /// <summary>
    /// Removes every record of <paramref name="slot"/>, tombstones and expired records included. Used by a node to
    /// drop the data of slots it no longer owns after a handoff. Safe to call concurrently with writes.
    /// </summary>
    /// <remarks>
    /// Each record is removed with <see cref="IKeyValueStore.RemoveIfVersion"/> against the version the scan saw, so a
    /// record written concurrently (a late replica write or hint for the slot) survives, and the engine's live counts
    /// stay exact; a later sweep removes it. Costs one slot scan plus one compare-and-delete per record.
    /// </remarks>
    /// <returns>How many records this call removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is out of range.</exception>
    public static int DropSlot(IKeyValueStore store, int slot)
    {
        ArgumentNullException.ThrowIfNull(store);
        var removed = 0;
        foreach (var (key, record) in store.ScanSlot(slot))
        {
            if (store.RemoveIfVersion(slot, key, record.Version))
            {
                removed++;
            }
        }

        return removed;
    }
}
