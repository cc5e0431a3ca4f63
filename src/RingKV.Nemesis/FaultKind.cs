namespace RingKV.Nemesis;

/// <summary>What a <see cref="FaultProxy"/> does to the bytes it forwards (see <see cref="FaultBehavior"/>).</summary>
public enum FaultKind
{
    /// <summary>Forward every chunk as soon as it is read.</summary>
    Pass = 0,

    /// <summary>Forward every chunk after a latency plus a random share of a jitter, order kept per direction.</summary>
    Delay = 1,

    /// <summary>Hold a chunk for a retransmission stall with a given probability (TCP's view of a lost packet).</summary>
    Loss = 2,

    /// <summary>Forward nothing in either direction, keep every connection open: peers run into their timeouts.</summary>
    Blackhole = 3,

    /// <summary>Reset every existing connection and every new one.</summary>
    Refuse = 4,
}
