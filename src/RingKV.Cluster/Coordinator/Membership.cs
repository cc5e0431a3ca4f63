using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The coordinator's authority over the cluster map: registration, heartbeats and failure detection.
/// </summary>
/// <remarks>
/// Every change produces a new map with a higher epoch, persisted before it becomes visible, so a restarted
/// coordinator never hands out an epoch lower than one nodes have already seen. Mutations are serialized by one
/// lock (they are rare: joins, leaves, state flips); heartbeats only touch a concurrent dictionary of
/// last-seen times unless they flip a node back UP. The original Python coordinator deadlocked here because
/// its failure checker held the lock while calling back into code that took it again; nothing under
/// <see cref="_mutation"/> calls out.
/// </remarks>
public sealed class Membership
{
    private readonly Lock _mutation = new();
    private readonly ConcurrentDictionary<string, long> _lastSeen = new();
    private readonly MapFile _file;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile ClusterMap _map;

    public Membership(CoordinatorOptions options, MapFile file, ILogger logger, TimeProvider? time = null)
    {
        FailureTimeout = options.FailureTimeout;
        _file = file;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _map = file.Load() ?? ClusterMap.Empty(options.ReplicationFactor, options.VirtualNodesPerNode);
        // After a restart every known node gets a fresh grace period: silence while we were down says nothing.
        var now = _time.GetTimestamp();
        foreach (var node in _map.Nodes)
        {
            _lastSeen[node.Id] = now;
        }
    }

    public TimeSpan FailureTimeout { get; }

    public ClusterMap Map => _map;

    /// <summary>Adds a node (or updates its endpoint) and marks it UP.</summary>
    public ClusterMap Register(string id, string host, int port)
    {
        _lastSeen[id] = _time.GetTimestamp();
        lock (_mutation)
        {
            var existing = _map.Find(id);
            var entry = new NodeEntry(id, host, port, NodeState.Up);
            if (existing != entry)
            {
                Publish(_map.WithNode(entry), existing is null ? $"node {id} joined at {host}:{port}" : $"node {id} re-registered at {host}:{port}");
            }
            return _map;
        }
    }

    /// <summary>Removes a node from the ring. Returns false when it was not a member.</summary>
    public bool Unregister(string id)
    {
        lock (_mutation)
        {
            if (_map.Find(id) is null)
            {
                return false;
            }
            _lastSeen.TryRemove(id, out _);
            Publish(_map.WithoutNode(id), $"node {id} left the ring");
            return true;
        }
    }

    /// <summary>Records a heartbeat. Returns false when the node is unknown (it must register again).</summary>
    public bool Heartbeat(string id)
    {
        var map = _map;
        var node = map.Find(id);
        if (node is null)
        {
            return false;
        }
        _lastSeen[id] = _time.GetTimestamp();
        if (node.State != NodeState.Up)
        {
            SetState(id, NodeState.Up);
        }
        return true;
    }

    /// <summary>Marks DOWN every UP node silent for longer than the failure timeout. Called periodically.</summary>
    public void DetectFailures()
    {
        foreach (var node in _map.Nodes)
        {
            if (node.IsUp && _lastSeen.TryGetValue(node.Id, out var seen) && _time.GetElapsedTime(seen) > FailureTimeout)
            {
                SetState(node.Id, NodeState.Down);
            }
        }
    }

    private void SetState(string id, NodeState state)
    {
        lock (_mutation)
        {
            var node = _map.Find(id);
            if (node is null || node.State == state)
            {
                return;
            }
            var silence = _lastSeen.TryGetValue(id, out var seen) ? _time.GetElapsedTime(seen) : TimeSpan.Zero;
            // Re-check under the lock: a heartbeat may have landed since DetectFailures looked.
            if (state == NodeState.Down && silence <= FailureTimeout)
            {
                return;
            }
            Publish(_map.WithNode(node with { State = state }),
                state == NodeState.Down ? $"node {id} is DOWN (silent for {silence.TotalSeconds:0.0} s)" : $"node {id} is UP again");
        }
    }

    private void Publish(ClusterMap next, string reason)
    {
        _file.Save(next);
        _map = next;
        _logger.LogInformation("epoch {Epoch}: {Reason}", next.Epoch, reason);
    }
}
