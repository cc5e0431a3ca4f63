using System.Collections.Concurrent;

namespace RingKV.Node.Routing;

/// <summary>
/// This node's own, short-lived opinion of which peers are failing, independent of the coordinator.
/// </summary>
/// <remarks>
/// The coordinator needs the whole failure timeout (10 s by default) to declare a node DOWN; requests must not
/// wait that long. A peer that just failed a request is skipped for <see cref="SuspicionPeriod"/>, after which one
/// request probes it again. Thread-safe.
/// </remarks>
public sealed class PeerHealth
{
    private readonly ConcurrentDictionary<string, long> _suspectedUntil = new();

    public TimeSpan SuspicionPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public void MarkFailed(string nodeId) =>
        _suspectedUntil[nodeId] = Environment.TickCount64 + (long)SuspicionPeriod.TotalMilliseconds;

    public void MarkHealthy(string nodeId) => _suspectedUntil.TryRemove(nodeId, out _);

    public bool IsSuspected(string nodeId) =>
        _suspectedUntil.TryGetValue(nodeId, out var until) && Environment.TickCount64 < until;
}
