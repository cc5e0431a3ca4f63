using RingKV.Cluster;

namespace RingKV.Node;

/// <summary>
/// The node-wide settings CONFIG SET may change while the node runs, starting from <see cref="NodeOptions"/> (which
/// stays the immutable start configuration). Thread-safe: each value is one volatile field, read by every new
/// connection and written by CONFIG SET on any connection.
/// </summary>
public sealed class NodeSettings(NodeOptions options)
{
    private volatile Consistency _readConsistency = options.ReadConsistency;
    private volatile Consistency _writeConsistency = options.WriteConsistency;

    /// <summary>The read level a new connection starts with (CONSISTENCY changes it per connection).</summary>
    public Consistency ReadConsistency
    {
        get => _readConsistency;
        set => _readConsistency = value;
    }

    /// <summary>The write level a new connection starts with (CONSISTENCY changes it per connection).</summary>
    public Consistency WriteConsistency
    {
        get => _writeConsistency;
        set => _writeConsistency = value;
    }
}
