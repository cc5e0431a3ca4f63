namespace RingKV.Storage.Versioning;

/// <summary>
/// The version every stored record carries: a hybrid logical clock timestamp (see <see cref="HybridLogicalClock"/>)
/// and the tag of the node that assigned it. Versions are totally ordered by <see cref="Timestamp"/>, then by
/// <see cref="NodeTag"/>, so two nodes that produce the same timestamp still order their writes deterministically
/// and every replica picks the same winner.
/// </summary>
public readonly record struct RecordVersion(ulong Timestamp, uint NodeTag) : IComparable<RecordVersion>
{
    /// <summary>The lowest version; every version assigned by a clock is greater.</summary>
    public static RecordVersion Zero => default;

    public int CompareTo(RecordVersion other)
    {
        var byTimestamp = Timestamp.CompareTo(other.Timestamp);
        return byTimestamp != 0 ? byTimestamp : NodeTag.CompareTo(other.NodeTag);
    }

    public static bool operator <(RecordVersion left, RecordVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(RecordVersion left, RecordVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(RecordVersion left, RecordVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RecordVersion left, RecordVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Timestamp}/{NodeTag}";
}
