using System.Text.Json;
using System.Text.Json.Serialization;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// What the gainers of the running transition have reported: per gainer the slots it must copy, those it has,
/// and the keys and bytes it pulled. Owned by <see cref="Membership"/> (mutated under its lock only); kept in
/// memory, since after a coordinator restart gainers simply report again.
/// </summary>
internal sealed class RebalanceProgress
{
    private readonly Dictionary<string, Gainer> _gainers = new(StringComparer.Ordinal);

    private RebalanceProgress(long transitionId, DateTimeOffset startedAt)
    {
        TransitionId = transitionId;
        StartedAt = startedAt;
    }

    public long TransitionId { get; }

    public DateTimeOffset StartedAt { get; }

    public long Keys => _gainers.Values.Sum(g => g.Keys);

    public long Bytes => _gainers.Values.Sum(g => g.Bytes);

    /// <summary>Progress for <paramref name="map"/>'s transition, counting its settled slots as done.</summary>
    public static RebalanceProgress Start(ClusterMap map, DateTimeOffset now)
    {
        var transition = map.Transition ?? throw new InvalidOperationException("the map has no transition");
        var progress = new RebalanceProgress(transition.Id, now);
        foreach (var id in transition.Target.Except(map.Members))
        {
            progress._gainers[id] = new Gainer(id, map.GainedBy(id), transition.Settled);
        }
        foreach (var id in map.Members.Intersect(transition.Target))
        {
            var gained = map.GainedBy(id);
            if (!gained.IsEmpty)
            {
                progress._gainers[id] = new Gainer(id, gained, transition.Settled);
            }
        }
        return progress;
    }

    /// <summary>Slots every gainer has copied (the slots nobody gains count as copied).</summary>
    public SlotSet Copied()
    {
        var pending = SlotSet.Empty;
        foreach (var gainer in _gainers.Values)
        {
            pending = pending.Union(gainer.Assigned.Except(gainer.Done));
        }
        return SlotSet.All.Except(pending);
    }

    public bool IsGainer(string id) => _gainers.ContainsKey(id);

    /// <summary>Records a gainer's report; false when <paramref name="id"/> gains nothing in this transition.</summary>
    public bool Record(string id, SlotSet slots, long keys, long bytes, DateTimeOffset now)
    {
        if (!_gainers.TryGetValue(id, out var gainer))
        {
            return false;
        }
        var fresh = slots.Intersect(gainer.Assigned).Except(gainer.Done);
        gainer.Done = gainer.Done.Union(fresh);
        // A repeated report (after a coordinator or node restart) re-sends slots already counted: count only fresh ones.
        if (!fresh.IsEmpty)
        {
            gainer.Keys += keys;
            gainer.Bytes += bytes;
        }
        if (gainer.Done.Equals(gainer.Done.Union(gainer.Assigned)))
        {
            gainer.FinishedAt ??= now;
        }
        return true;
    }

    public RebalanceReport Report(ClusterMap map, DateTimeOffset now, RebalanceReport.Summary? last)
    {
        var transition = map.Transition;
        var moving = map.MovingSlots();
        var elapsed = (now - StartedAt).TotalSeconds;
        var assigned = _gainers.Values.Sum(g => g.Assigned.Count);
        var done = _gainers.Values.Sum(g => g.Done.Intersect(g.Assigned).Count);
        var rate = elapsed > 0 ? Bytes / elapsed : 0;
        double? eta = done == 0 ? null : elapsed * (assigned - done) / done;
        var state = transition is null ? "idle" : transition.Aborting ? "aborting" : transition.Settled.IsFull ? "finishing" : "streaming";
        return new RebalanceReport(map.Epoch, state, transition?.Id, [.. map.Members], transition is null ? null : [.. transition.Target],
            moving.Count, transition is null ? 0 : transition.Settled.Intersect(moving).Count, assigned, done, Keys, Bytes, rate, eta, elapsed,
            [.. _gainers.Values.Select(g => new RebalanceReport.GainerReport(g.Id, map.StatusOf(g.Id).ToString().ToLowerInvariant(),
                g.Assigned.Count, g.Done.Intersect(g.Assigned).Count, g.Keys, g.Bytes, g.FinishedAt is { } f ? (f - StartedAt).TotalSeconds : null))],
            last);
    }

    public RebalanceReport.Summary Summarize(DateTimeOffset now, int slotsMoved) =>
        new(TransitionId, (now - StartedAt).TotalSeconds, slotsMoved, Keys, Bytes, [.. _gainers.Keys]);

    private sealed class Gainer(string id, SlotSet assigned, SlotSet settled)
    {
        public string Id { get; } = id;

        public SlotSet Assigned { get; } = assigned;

        public SlotSet Done { get; set; } = assigned.Intersect(settled);

        public long Keys { get; set; }

        public long Bytes { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }
    }
}

/// <summary>The rebalance status document (<c>REBALANCE STATUS</c>, <c>ringkv rebalance status</c>).</summary>
public sealed record RebalanceReport(
    long Epoch,
    string State,
    long? TransitionId,
    string[] Members,
    string[]? Target,
    int SlotsMoving,
    int SlotsSettled,
    int SlotsToCopy,
    int SlotsCopied,
    long KeysMoved,
    long BytesMoved,
    double BytesPerSecond,
    double? EtaSeconds,
    double ElapsedSeconds,
    RebalanceReport.GainerReport[] Gainers,
    RebalanceReport.Summary? Last)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <exception cref="FormatException">Not a rebalance status document.</exception>
    public static RebalanceReport FromJson(string json)
    {
        try
        {
            var report = JsonSerializer.Deserialize<RebalanceReport>(json, s_json);
            // The serializer leaves missing members null whatever their declared type; callers rely on these.
            return report is { State: not null, Members: not null, Gainers: not null }
                ? report
                : throw new FormatException("invalid rebalance status: missing state, members or gainers");
        }
        catch (JsonException ex)
        {
            throw new FormatException("invalid rebalance status: " + ex.Message, ex);
        }
    }

    /// <summary>One node copying slots: how many it must copy, has copied, and what it pulled.</summary>
    public sealed record GainerReport(string Id, string Status, int SlotsToCopy, int SlotsCopied, long Keys, long Bytes, double? FinishedAfterSeconds);

    /// <summary>The last transition that finished (or was aborted).</summary>
    public sealed record Summary(long TransitionId, double DurationSeconds, int SlotsMoved, long KeysMoved, long BytesMoved, string[] Gainers, bool Aborted = false);
}
