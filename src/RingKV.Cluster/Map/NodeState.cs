namespace RingKV.Cluster.Map;

/// <summary>
/// Liveness of a ring member as the coordinator sees it. DOWN is not REMOVED: a DOWN node keeps its tokens
/// (its slots are served by the next nodes of each preference list) until an operator or a later removal
/// timeout takes it out of the ring. Persisted by name in the map JSON; values pinned by a test.
/// </summary>
public enum NodeState
{
    /// <summary>Heartbeating within the failure timeout.</summary>
    Up = 1,

    /// <summary>Silent for longer than the failure timeout; routed around.</summary>
    Down = 2,
}
