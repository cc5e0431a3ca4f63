namespace RingKV.Cluster.Map;

/// <summary>One known node: identity, RESP endpoint, liveness, and whether it has been asked to leave the ring.</summary>
/// <param name="Leaving">
/// Set by a decommission, an operator removal or the removal timeout; the node stays in the map (and, if it holds
/// data, serves it) until the transition that moves its slots to other nodes has finished.
/// </param>
public sealed record NodeEntry(string Id, string Host, int Port, NodeState State, bool Leaving = false)
{
    /// <summary><c>host:port</c> of the node's RESP listener.</summary>
    public string Endpoint => $"{Host}:{Port}";

    public bool IsUp => State == NodeState.Up;
}
