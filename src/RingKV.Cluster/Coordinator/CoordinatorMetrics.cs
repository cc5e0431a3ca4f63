using Prometheus;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The coordinator's metrics for <c>/metrics</c>: the cluster as the coordinator sees it (nodes by state, epoch,
/// rebalance progress) plus .NET's GC and process figures. All read from <see cref="Membership"/> at scrape time.
/// </summary>
public sealed class CoordinatorMetrics
{
    public CoordinatorMetrics(Membership membership)
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        var nodes = factory.CreateGauge("ringkv_cluster_nodes", "Nodes in the cluster map, by state (up, down).",
            new GaugeConfiguration { LabelNames = ["state"] });
        var members = factory.CreateGauge("ringkv_ring_members", "Nodes that own slots in the ring.");
        var epoch = factory.CreateGauge("ringkv_map_epoch", "Epoch of the cluster map.");
        var active = factory.CreateGauge("ringkv_rebalance_active", "1 while a ring transition moves data, else 0.");
        var toCopy = factory.CreateGauge("ringkv_rebalance_slots_to_copy", "Slot copies the running transition needs (one per gaining node and slot).");
        var copied = factory.CreateGauge("ringkv_rebalance_slots_copied", "Slot copies of the running transition done so far.");
        var keys = factory.CreateGauge("ringkv_rebalance_keys_moved", "Keys copied by the running transition.");
        var bytes = factory.CreateGauge("ringkv_rebalance_bytes_moved", "Bytes copied by the running transition.");
        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(() =>
        {
            var map = membership.Map;
            nodes.WithLabels("up").Set(map.Nodes.Count(n => n.State == NodeState.Up));
            nodes.WithLabels("down").Set(map.Nodes.Count(n => n.State == NodeState.Down));
            members.Set(map.Members.Length);
            epoch.Set(map.Epoch);
            var status = membership.Status();
            active.Set(map.Transition is null ? 0 : 1);
            toCopy.Set(status.SlotsToCopy);
            copied.Set(status.SlotsCopied);
            keys.Set(status.KeysMoved);
            bytes.Set(status.BytesMoved);
        });
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
}
