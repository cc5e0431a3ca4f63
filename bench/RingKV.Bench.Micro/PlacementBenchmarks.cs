using BenchmarkDotNet.Attributes;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Bench.Micro;

/// <summary>
/// Where a key lives: its hash slot (CRC16, Redis Cluster's rule, with and without a hash tag) and the slot's
/// preference list on a stable map of 3 and of 10 nodes (default vnodes and RF 3). Every key command pays both before
/// it can run or be forwarded, so they sit on the GET/SET path. <see cref="ClusterMap.PreferenceList"/> returns a fresh
/// array of entries; <c>RingPreferenceIndexes</c> is the ring's own table lookup underneath it, for comparison.
/// </summary>
[MemoryDiagnoser]
public class PlacementBenchmarks
{
    private readonly byte[] _shortKey = Values.Key(123);
    private readonly byte[] _taggedKey = "{user:1000}:profile:settings"u8.ToArray();
    private ClusterMap _three = null!;
    private ClusterMap _ten = null!;
    private int _slot;

    [GlobalSetup]
    public void Setup()
    {
        _three = Map(3);
        _ten = Map(10);
        _slot = HashSlot.ForKey(_shortKey);
        // The rings are built lazily on first use; build them here, not in the first measured call.
        _ = _three.PreferenceList(_slot);
        _ = _ten.PreferenceList(_slot);
    }

    [Benchmark]
    public int SlotOfShortKey() => HashSlot.ForKey(_shortKey);

    [Benchmark]
    public int SlotOfHashTaggedKey() => HashSlot.ForKey(_taggedKey);

    [Benchmark]
    public NodeEntry[] PreferenceList3Nodes() => _three.PreferenceList(_slot);

    [Benchmark]
    public NodeEntry[] PreferenceList10Nodes() => _ten.PreferenceList(_slot);

    [Benchmark]
    public int RingPreferenceIndexes10Nodes() => _ten.Ring.PreferenceIndexes(_slot)[0];

    /// <summary>A stable map of <paramref name="nodes"/> UP nodes, as the coordinator publishes it (ports from 5001).</summary>
    private static ClusterMap Map(int nodes) =>
        new(1, RingDefaults.ReplicationFactor, RingDefaults.VirtualNodesPerNode,
            Enumerable.Range(1, nodes).Select(n => new NodeEntry($"node-{5000 + n}", "127.0.0.1", 5000 + n, NodeState.Up)));
}
