namespace RingKV.Cluster.Map;

/// <summary>
/// Holds the newest cluster map a process has seen. Readers take <see cref="Current"/> without locks; writers
/// offer maps and only a higher epoch replaces the current one (compare-and-swap), so concurrent offers from
/// heartbeats, refreshes and peers can never move a holder backwards.
/// </summary>
public sealed class ClusterMapHolder
{
    private ClusterMap _current;

    public ClusterMapHolder(ClusterMap? initial = null) => _current = initial ?? ClusterMap.Empty();

    public ClusterMap Current => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="next"/> if its epoch is higher; returns whether it did.</summary>
    public bool Offer(ClusterMap next)
    {
        while (true)
        {
            var current = Current;
            if (next.Epoch <= current.Epoch)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _current, next, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Installs <paramref name="next"/> whatever its epoch: only for the coordinator's answer to a registration,
    /// which is authoritative even when a coordinator restarted without its data and counts epochs from 1 again.
    /// </summary>
    public void Replace(ClusterMap next) => Volatile.Write(ref _current, next);
}
