using RingKV.Cluster;

namespace RingKV.Client;

/// <summary>Settings of <see cref="RingKvClient"/>.</summary>
public sealed record RingKvClientOptions
{
    /// <summary>Consistency for this client's connections; null keeps each node's default (QUORUM).</summary>
    public Consistency? Consistency { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for one node before failing over to the next replica.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the cluster map is refreshed in the background.</summary>
    public TimeSpan MapRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);
}
