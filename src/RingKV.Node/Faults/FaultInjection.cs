namespace RingKV.Node.Faults;

/// <summary>
/// Faults a node commits on request, for the consistency tests and <c>ringkv verify</c>: a skewed wall clock, and
/// a planted bug (acknowledging writes before replicating them) that the checkers must catch as lost writes.
/// Nothing here can be switched on unless the node was started with <c>--fault-injection</c>, which production
/// nodes never are; the switches arrive through <c>RKV.FAULT</c>. Thread-safe.
/// </summary>
public sealed class FaultInjection(bool enabled)
{
    private volatile bool _acknowledgeBeforeReplicating;

    /// <summary>Whether <c>RKV.FAULT</c> may change anything on this node.</summary>
    public bool Enabled { get; } = enabled;

    /// <summary>The node's wall clock (HLC, expiry, hints); its offset is zero unless a test skews it.</summary>
    public SkewedTimeProvider Clock { get; } = new();

    /// <summary>
    /// The planted bug: a primary answers OK once its own copy is written and sends the replicas their copies only
    /// after <see cref="DeferredReplication"/>. If it dies in between, acknowledged writes are lost; a checker that
    /// does not report that is broken.
    /// </summary>
    public bool AcknowledgeBeforeReplicating
    {
        get => _acknowledgeBeforeReplicating;
        set => _acknowledgeBeforeReplicating = value;
    }

    /// <summary>How long the planted bug holds replication back: long enough for a kill to land in between.</summary>
    public TimeSpan DeferredReplication { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A node's faults when it was not started with <c>--fault-injection</c>.</summary>
    public static FaultInjection Disabled => new(false);
}
