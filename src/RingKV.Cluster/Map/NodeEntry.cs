namespace RingKV.Cluster.Map;

/// <summary>One member of the cluster map: identity, RESP endpoint and liveness.</summary>
public sealed record NodeEntry(string Id, string Host, int Port, NodeState State)
{
    /// <summary><c>host:port</c> of the node's RESP listener.</summary>
    public string Endpoint => $"{Host}:{Port}";

    public bool IsUp => State == NodeState.Up;
}
