namespace RingKV.Cluster.Map;

/// <summary>A node's place in the ring, derived from the map's member list and its transition (never stored).</summary>
public enum MemberStatus
{
    /// <summary>Registered but not in the ring and not joining yet: waits for the running transition to finish.</summary>
    Waiting,

    /// <summary>In the target ring of the running transition only: pulling the slots it gains.</summary>
    Joining,

    /// <summary>In the ring (and in the target, if a transition runs).</summary>
    Member,

    /// <summary>In the ring but not in the target: its slots are being copied to the nodes that gain them.</summary>
    Leaving,
}
