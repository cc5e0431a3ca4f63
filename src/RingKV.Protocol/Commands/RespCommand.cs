namespace RingKV.Protocol.Commands;

/// <summary>
/// Every command any RingKV role understands. Each role (coordinator, node) handles a subset and answers the
/// rest with Redis' "unknown command" error. Names on the wire are in <see cref="CommandTable"/>.
/// </summary>
public enum RespCommand
{
    /// <summary>Not a known command.</summary>
    Unknown = 0,

    // Connection and server (every role).
    Ping, Echo, Quit, Hello, Auth, Select, Client, Command, Config, Info, Time,

    // Cluster views (every role; nodes answer from their last cluster map).
    ListNodes, GetNodesForKey, ClusterMap, Cluster,

    // Membership and rebalancing (coordinator; REBALANCE and REPAIR also on nodes).
    RegisterNode, UnregisterNode, Heartbeat, Decommission, SlotsSynced, Rebalance, Repair,

    // The dashboard's document: map, node reports, rebalance; the coordinator group (coordinator).
    Overview, Coordinators,

    // Data (nodes). PUT and DELETE are the original description's aliases of SET and DEL.
    Get, Set, Del, Exists, MGet, MSet, DbSize, Consistency, GetDel, GetEx,

    // Strings and counters (nodes).
    GetSet, GetRange, SetRange, Append, StrLen, SetNx, SetEx, PSetEx, MSetNx,
    Incr, Decr, IncrBy, DecrBy, IncrByFloat,

    // Keyspace (nodes). UNLINK is DEL (deletes are tombstone writes either way).
    Unlink, Touch, Type, Rename, RenameNx, Object, Keys, Scan, RandomKey, FlushAll, FlushDb, Lolwut,

    // Expiry (nodes).
    Expire, PExpire, ExpireAt, PExpireAt, Ttl, PTtl, ExpireTime, PExpireTime, Persist,

    // Node-to-node and admin (nodes).
    Forward, Replicate, ReadRecord, LocalGet, LocalCount, LocalDelete, Digest, Versions, Pull, MultiRead,
    ScanSlots, CountSlots, Clock, Flush, Fault,

    // Coordinator to coordinator: a membership command a follower hands to the leader.
    LeaderForward,
}
