namespace RingKV.Placement;

/// <summary>Ring parameters used when the operator does not choose them.</summary>
public static class RingDefaults
{
    // Chosen by measurement (bench/RingKV.Bench.Placement, 16384 slots, RF 3). Primary slots of the busiest node
    // over the mean, averaged over 50 sets of node names (worst set in brackets), and median Build time at 50 nodes
    // on an idle 2-core machine (about 2-4x that while other builds share it):
    //   vnodes   3 nodes        5 nodes        10 nodes       50 nodes       build@50
    //   128      1.07 (1.19)    1.10 (1.22)    1.15 (1.29)    1.25 (1.39)    ~2 ms
    //   256      1.05 (1.14)    1.08 (1.16)    1.11 (1.18)    1.20 (1.31)    ~3 ms
    //   512      1.04 (1.11)    1.05 (1.09)    1.08 (1.15)    1.16 (1.27)    ~4.5 ms
    // 256 is the smallest count that keeps the busiest node within about 10% of the mean at 3-10 nodes; 128 misses
    // it at 10 nodes. 512 balances a little better for twice the tokens and Build time. Build runs on every epoch
    // change, and at 256 it stays an order of magnitude under the ~50 ms budget for 50 nodes. Joins and leaves
    // move close to the ideal 1/N of primaries at every count from 64 up.
    public const int VirtualNodesPerNode = 256;

    /// <summary>Copies of every slot: one primary and two replicas, so one node can fail with a quorum intact.</summary>
    public const int ReplicationFactor = 3;
}
