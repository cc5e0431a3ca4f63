using System.Collections.Concurrent;
using System.Text.Json;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// The latest figures each node sent with its heartbeat (keys, bytes, ops/s, p99…), kept as the JSON the node sent:
/// the coordinator only relays them to the dashboard and <c>/v1/overview</c>, it decides nothing from them.
/// </summary>
public sealed class NodeReports(TimeProvider? time = null)
{
    /// <summary>Longest report accepted: a report is a dozen numbers, anything longer is not one.</summary>
    public const int MaxLength = 4096;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (JsonElement Report, long Timestamp)> _latest = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="json"/> as node <paramref name="id"/>'s report; false when it is not a JSON object (or too long).</summary>
    public bool Record(string id, string json)
    {
        if (json.Length > MaxLength)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            _latest[id] = (document.RootElement.Clone(), _time.GetTimestamp());
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The node's last report and its age; null when it has sent none.</summary>
    public (JsonElement Report, TimeSpan Age)? Latest(string id) =>
        _latest.TryGetValue(id, out var entry) ? (entry.Report, _time.GetElapsedTime(entry.Timestamp)) : null;

    /// <summary>Forgets a node that left the map.</summary>
    public void Forget(string id) => _latest.TryRemove(id, out _);
}
