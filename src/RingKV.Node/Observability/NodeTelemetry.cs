using System.Diagnostics;
using Prometheus;
using RingKV.Node.Rebalancing;
using RingKV.Node.Replication;

namespace RingKV.Node.Observability;

/// <summary>
/// The node's state as numbers: the gauges <c>/metrics</c> reads at scrape time, and the <see cref="NodeReport"/>
/// each heartbeat carries to the coordinator. Both read the same sources, so the dashboard and Prometheus agree.
/// </summary>
public sealed class NodeTelemetry
{
    private readonly NodeContext _node;
    private readonly Func<int> _connections;
    private readonly HintedHandoff _handoff;
    private readonly SlotCopier _copier;
    private readonly Lock _windowLock = new();
    private long[] _lastLatency = new long[LatencyWindow.BucketCount];
    private long _lastCommands;
    private long _lastTimestamp = Stopwatch.GetTimestamp();

    public NodeTelemetry(NodeContext node, Func<int> connections, HintedHandoff handoff, SlotCopier copier)
    {
        _node = node;
        _connections = connections;
        _handoff = handoff;
        _copier = copier;
        RegisterGauges(node.Metrics);
    }

    /// <summary>
    /// This node's figures, with ops/s and p99 over the time since the previous call (the heartbeat interval);
    /// called by one heartbeat loop, the lock only guards against a second caller.
    /// </summary>
    public NodeReport Report()
    {
        var metrics = _node.Metrics;
        double opsPerSecond, p99;
        long commands;
        lock (_windowLock)
        {
            var now = Stopwatch.GetTimestamp();
            var latency = metrics.Latency.Snapshot();
            commands = latency.Sum();
            var seconds = (double)(now - _lastTimestamp) / Stopwatch.Frequency;
            opsPerSecond = seconds > 0 ? (commands - _lastCommands) / seconds : 0;
            p99 = LatencyWindow.Quantile(_lastLatency, latency, 0.99);
            (_lastLatency, _lastCommands, _lastTimestamp) = (latency, commands, now);
        }
        var store = _node.Replicator.Store;
        return new NodeReport(
            Keys: store.CountLive(_node.Primary.NowMs),
            Bytes: store.ApproximateBytes,
            OpsPerSecond: Math.Round(opsPerSecond, 1),
            P99Milliseconds: p99,
            CommandsTotal: commands,
            ErrorsTotal: metrics.ErrorsTotal,
            Connections: _connections(),
            HintsPending: _handoff.Pending,
            ForwardedTotal: _node.Router.Forwarded,
            ManagedHeapBytes: GC.GetTotalMemory(forceFullCollection: false),
            ResidentBytes: Environment.WorkingSet);
    }

    private void RegisterGauges(NodeMetrics metrics)
    {
        var factory = metrics.Factory;
        var keys = factory.CreateGauge("ringkv_keys", "Live keys stored on this node (primary and replica copies).");
        var bytes = factory.CreateGauge("ringkv_stored_bytes", "Approximate bytes of stored data (value bytes in memory; RocksDB's live-data estimate plus memtables).");
        var connections = factory.CreateGauge("ringkv_connections", "Open RESP connections, clients and peers.");
        var lag = factory.CreateGauge("ringkv_replication_lag_writes", "Writes a replica has yet to receive: hints queued for it while it was unreachable.",
            new GaugeConfiguration { LabelNames = ["replica"] });
        var hints = factory.CreateGauge("ringkv_hints_pending", "Hints queued for all replicas.");
        var delivered = factory.CreateCounter("ringkv_hints_delivered_total", "Hints delivered to a replica that came back.");
        var dropped = factory.CreateCounter("ringkv_hints_dropped_total", "Hints dropped (queue full or older than the hint window); anti-entropy repairs what they carried.");
        var forwarded = factory.CreateCounter("ringkv_forwarded_commands_total", "Commands this node forwarded to the key's primary.");
        var pulledKeys = factory.CreateCounter("ringkv_slot_copy_keys_total", "Keys pulled from peers by rebalancing and repair.");
        var pulledBytes = factory.CreateCounter("ringkv_slot_copy_bytes_total", "Bytes pulled from peers by rebalancing and repair.");
        var epoch = factory.CreateGauge("ringkv_map_epoch", "Epoch of the cluster map this node routes with.");
        var transition = factory.CreateGauge("ringkv_rebalance_active", "1 while the ring changes (a join, leave or removal moves data), else 0.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            var store = _node.Replicator.Store;
            keys.Set(store.CountLive(_node.Primary.NowMs));
            bytes.Set(store.ApproximateBytes);
            connections.Set(_connections());
            foreach (var (replica, count) in _handoff.PendingByReplica)
            {
                lag.WithLabels(replica).Set(count);
            }
            hints.Set(_handoff.Pending);
            delivered.IncTo(_handoff.Delivered);
            dropped.IncTo(_handoff.Dropped);
            forwarded.IncTo(_node.Router.Forwarded);
            pulledKeys.IncTo(_copier.KeysPulled);
            pulledBytes.IncTo(_copier.BytesPulled);
            var map = _node.Agent.Map;
            epoch.Set(map.Epoch);
            transition.Set(map.Transition is null ? 0 : 1);
        });
    }
}
