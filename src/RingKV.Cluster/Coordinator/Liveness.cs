namespace RingKV.Cluster.Coordinator;

/// <summary>
/// When each node was last heard from, by the coordinator itself (its heartbeats) or by any of its peers (their
/// probes, reported in their heartbeats): a node is silent only while neither has heard from it.
/// </summary>
/// <remarks>
/// <para>
/// A node cut off from the coordinators but answering its peers is therefore not silent, and a new coordinator
/// leader can judge every node at once from the evidence the next heartbeats bring, instead of waiting a failure
/// timeout of its own. The coordinator combining every node's reports plays the part of SWIM's indirect probe
/// (ping-req): it asks nobody, the peers' direct probes already are the other paths to the node
/// (docs/adr/0014-failure-detection-peer-evidence.md).
/// </para>
/// <para>
/// Grace: a node nothing has been heard about since <see cref="Reset"/> (or construction) counts as heard at that
/// moment, so a new leader or a restarted coordinator does not find every node silent at once. The grace lasts only
/// until the first evidence about the node, which then wins even when it is older than the reset: a peer saying
/// "not heard from node-3 for 8 s" right after an election means node-3 died before it, and it is detected one
/// failure timeout after it died, not one failure timeout after the election.
/// </para>
/// <para>
/// Each (node, source) pair keeps its newest evidence, so <see cref="Forget"/> can drop a departed node's reports
/// about the others. Memory is O(nodes²) in the worst case, a few kilobytes for the clusters this is built for.
/// Thread-safe: heartbeats arrive on many connections at once; every member takes one short lock.
/// </para>
/// </remarks>
public sealed class Liveness
{
    /// <summary>The source named by <see cref="Sources"/> for the coordinator's own heartbeats.</summary>
    public const string Direct = "direct";

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // node id -> source (Direct or a reporter's id) -> monotonic timestamp of the newest evidence from that source.
    private readonly Dictionary<string, Dictionary<string, long>> _evidence = new(StringComparer.Ordinal);
    private long _resetAt;

    public Liveness(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _resetAt = _time.GetTimestamp();
    }

    /// <summary>A heartbeat from <paramref name="id"/> arrived now.</summary>
    public void Heard(string id)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            Record(id, Direct, now);
        }
    }

    /// <summary>
    /// <paramref name="reporterId"/> has not heard from each of its peers for the given milliseconds
    /// (<see cref="PeerEvidence"/>). What it says about itself is ignored. A report counts whatever the coordinator
    /// thinks of the reporter: it just arrived, so it is fresh. The heartbeat carrying it is a separate
    /// <see cref="Heard"/>.
    /// </summary>
    public void Reported(string reporterId, IReadOnlyDictionary<string, long> silencesMs)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var (id, silence) in silencesMs)
            {
                if (id != reporterId && silence >= 0)
                {
                    Record(id, reporterId, now - (silence * _time.TimestampFrequency / 1000));
                }
            }
        }
    }

    /// <summary>How long nothing has been heard about <paramref name="id"/> from any source (since the grace if nothing ever was).</summary>
    public TimeSpan Silence(string id)
    {
        lock (_gate)
        {
            return _time.GetElapsedTime(_evidence.TryGetValue(id, out var sources) ? sources.Values.Max() : _resetAt);
        }
    }

    /// <summary>Who has heard from <paramref name="id"/> and how long ago, freshest first; empty while only the grace speaks for it.</summary>
    public IReadOnlyList<(string Source, TimeSpan Silence)> Sources(string id)
    {
        lock (_gate)
        {
            return _evidence.TryGetValue(id, out var sources)
                ? [.. sources.OrderByDescending(s => s.Value).Select(s => (s.Key, _time.GetElapsedTime(s.Value)))]
                : [];
        }
    }

    /// <summary>Forgets all evidence and starts a new grace: this coordinator just became the leader.</summary>
    public void Reset()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _evidence.Clear();
            _resetAt = now;
        }
    }

    /// <summary>
    /// Node <paramref name="id"/> left the cluster: forgets the evidence about it and the evidence it gave about others
    /// (a node that only it had heard from is back under the grace of the last <see cref="Reset"/>).
    /// </summary>
    public void Forget(string id)
    {
        lock (_gate)
        {
            _evidence.Remove(id);
            foreach (var (other, sources) in _evidence)
            {
                // A node only the departed one had heard from is back under the grace of the last reset: rare (a live
                // node heartbeats itself), and that grace still runs out one failure timeout after the reset.
                if (sources.Remove(id) && sources.Count == 0)
                {
                    _evidence.Remove(other);
                }
            }
        }
    }

    // Evidence only moves forward: a source can not un-hear a node (a late, older report changes nothing).
    private void Record(string id, string source, long timestamp)
    {
        if (!_evidence.TryGetValue(id, out var sources))
        {
            _evidence[id] = sources = new Dictionary<string, long>(StringComparer.Ordinal);
        }
        if (!sources.TryGetValue(source, out var known) || timestamp > known)
        {
            sources[source] = timestamp;
        }
    }
}
