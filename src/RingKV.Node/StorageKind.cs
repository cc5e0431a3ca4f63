namespace RingKV.Node;

/// <summary>Which storage engine a node uses (<c>--storage</c>).</summary>
public enum StorageKind
{
    /// <summary>RocksDB in the node's data directory: survives restarts. The default.</summary>
    RocksDb = 0,

    /// <summary>Process memory: fastest, for caches and tests; a restart comes back empty.</summary>
    Memory = 1,
}
