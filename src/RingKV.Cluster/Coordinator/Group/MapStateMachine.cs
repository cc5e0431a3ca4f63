using System.Buffers;
using System.Text;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator.Group;

/// <summary>
/// The coordinator group's replicated state: the cluster map. Every log entry is a whole map (JSON, a few KB), the
/// next one; a snapshot is the current map. The same entries in the same order give every coordinator the same map.
/// </summary>
/// <remarks>
/// <para>
/// Entries are conditional: a map is applied only when its epoch is exactly one past the current one (or, once,
/// when the first map of a cluster gets its id). A leader computes each map from the one before, so its entries
/// always fit; an entry that does not (a deposed leader's, already overtaken) is skipped on every member alike, and the
/// leader that proposed it learns so through the entry's context. So the epoch is the count of committed changes, and
/// no two different maps ever carry the same epoch.
/// </para>
/// <para>
/// The log also holds the leader's no-op entries and Raft's configuration entries; they carry no map and are skipped.
/// </para>
/// </remarks>
internal sealed class MapStateMachine(DirectoryInfo location) : SimpleStateMachine(location)
{
    // A snapshot every so many entries keeps the log short; a fresh 3-node cluster publishes ~140 maps.
    private const int SnapshotEvery = 64;

    private volatile ClusterMap? _map;

    /// <summary>The last applied map; null until the first one (a group that has never committed a map).</summary>
    public ClusterMap? Map => _map;

    /// <summary>Raised after a map was applied (on the applying thread; handlers must be quick).</summary>
    public event Action<ClusterMap>? Applied;

    /// <summary>Whether <paramref name="next"/> may follow <paramref name="current"/> (see the remarks).</summary>
    public static bool Follows(ClusterMap? current, ClusterMap next) => current is null
        || next.Epoch == current.Epoch + 1
        || (next.Epoch == current.Epoch && current.ClusterId is null && next.ClusterId is not null);

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        var accepted = false;
        if (!entry.IsConfiguration && entry.TryGetPayload(out var payload) && !payload.IsEmpty)
        {
            var next = ClusterMap.FromJson(Encoding.UTF8.GetString(payload.ToArray()));
            if (Follows(_map, next))
            {
                _map = next;
                accepted = true;
                Applied?.Invoke(next);
            }
        }
        // The proposing leader waits on this (null on the other members, and for entries replayed after a restart).
        (entry.Context as TaskCompletionSource<bool>)?.TrySetResult(accepted);
        return ValueTask.FromResult(accepted && entry.Index % SnapshotEvery == 0);
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token) =>
        _map is { } map ? writer.Invoke(Encoding.UTF8.GetBytes(map.ToJson()), token) : ValueTask.CompletedTask;

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var json = await File.ReadAllTextAsync(snapshotFile.FullName, token);
        _map = json.Length == 0 ? null : ClusterMap.FromJson(json);
    }
}
