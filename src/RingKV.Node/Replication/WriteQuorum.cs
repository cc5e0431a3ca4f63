using RingKV.Cluster;
using RingKV.Cluster.Map;

namespace RingKV.Node.Replication;

/// <summary>
/// Counts a write's acknowledgements against its slot's lists: the required number of copies in the current list
/// and, while the ring changes, also in the target list (a joint quorum). A node in both lists counts for both.
/// </summary>
/// <remarks>
/// Why both: until a transition finishes, some nodes read a slot from its current list and others (for settled
/// slots) from its target list; a write must be found by a quorum read of either. See
/// docs/adr/0006-rebalancing-joint-quorums.md.
/// </remarks>
internal sealed class WriteQuorum
{
    private readonly SlotReplicas _replicas;
    private readonly int _requiredCurrent;
    private readonly int _requiredTarget;
    private int _current;
    private int _target;

    public WriteQuorum(SlotReplicas replicas, Consistency level)
    {
        _replicas = replicas;
        _requiredCurrent = level.Required(replicas.Current.Length);
        _requiredTarget = replicas.Target is null ? 0 : level.Required(replicas.Target.Length);
    }

    public bool IsMet => _current >= _requiredCurrent && _target >= _requiredTarget;

    public void Acknowledge(string nodeId)
    {
        if (Array.Exists(_replicas.Current, n => n.Id == nodeId))
        {
            _current++;
        }
        if (_replicas.Target is { } target && Array.Exists(target, n => n.Id == nodeId))
        {
            _target++;
        }
    }

    /// <summary>The outcome, reporting the list that fell short (the current one when both did).</summary>
    public WriteOutcome Outcome(ulong superseded = 0, bool retrySafe = false) =>
        _current < _requiredCurrent || _target >= _requiredTarget
            ? new WriteOutcome(IsMet, _current, _requiredCurrent, superseded, retrySafe)
            : new WriteOutcome(false, _target, _requiredTarget, superseded, retrySafe);
}
