namespace RingKV.Node.Replication;

/// <summary>Names of the node-to-node commands, as sent on the wire.</summary>
internal static class InternalCommands
{
    /// <summary><c>RKV.FWD level command args...</c>: execute as the slot's primary at the given consistency.</summary>
    public static readonly byte[] Forward = "RKV.FWD"u8.ToArray();

    /// <summary>
    /// <c>RKV.REPLICATE slot key record</c>: merge an encoded record; replies <c>:0</c> when the replica now holds it,
    /// else <c>:timestamp</c> of the newer version it keeps (see <see cref="Replicator.Accept"/>).
    /// </summary>
    public static readonly byte[] Replicate = "RKV.REPLICATE"u8.ToArray();

    /// <summary><c>RKV.READ slot key</c>: the encoded local record (tombstones included) or nil.</summary>
    public static readonly byte[] ReadRecord = "RKV.READ"u8.ToArray();
}
