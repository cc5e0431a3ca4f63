namespace RingKV.Storage.RocksDb;

/// <summary>
/// Which slots may hold records: one bit per slot, set before a slot's first write and cleared only by a full
/// clear. A scan of a slot whose bit is clear returns at once instead of opening a RocksDB iterator, which is
/// what copying and digesting thousands of mostly empty slots (a new or small cluster) would otherwise cost.
/// </summary>
/// <remarks>Conservative: a set bit only means "maybe". Lock-free; bits are set with an atomic OR.</remarks>
internal sealed class SlotOccupancy
{
    private readonly ulong[] _bits = new ulong[StorageSlots.Count / 64];

    public void Mark(int slot)
    {
        var mask = 1UL << (slot & 63);
        if ((Volatile.Read(ref _bits[slot >> 6]) & mask) == 0)
        {
            Interlocked.Or(ref _bits[slot >> 6], mask);
        }
    }

    public bool MayHaveRecords(int slot) => (Volatile.Read(ref _bits[slot >> 6]) & (1UL << (slot & 63))) != 0;

    public void Reset() => Array.Clear(_bits);
}
