namespace RingKV.IntegrationTests.TestKit;

/// <summary>The hinted-handoff lines of a node's INFO replication: <c>hints_pending</c>, <c>hints_delivered</c>, <c>hints_dropped</c>.</summary>
public sealed record HintCounters(long Pending, long Delivered, long Dropped)
{
    /// <exception cref="FormatException">One of the three lines is missing or not a number.</exception>
    public static HintCounters Parse(string info)
    {
        var fields = info.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);

        long Field(string name) =>
            fields.TryGetValue(name, out var text) && long.TryParse(text, out var value)
                ? value
                : throw new FormatException($"INFO replication has no numeric {name} line:\n{info}");

        return new HintCounters(Field("hints_pending"), Field("hints_delivered"), Field("hints_dropped"));
    }

    public override string ToString() => $"pending {Pending}, delivered {Delivered}, dropped {Dropped}";
}
