namespace RingKV.Storage;

/// <summary>
/// The one merge rule every replica applies: the highest version wins, whether it is a value or a tombstone.
/// Because the rule is a total order on versions, replicas that receive the same records in any order converge.
/// It is last-writer-wins: under a partition, the write with the lower version is silently discarded.
/// </summary>
public static class MergeRule
{
    /// <summary>
    /// True when <paramref name="candidate"/> should replace <paramref name="existing"/>: there is nothing yet, or
    /// the candidate's version is strictly higher. An equal version does not supersede, so re-applying is a no-op.
    /// </summary>
    public static bool Supersedes(StoredRecord candidate, StoredRecord? existing)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return existing is null || candidate.Version > existing.Version;
    }

    /// <summary>The record <see cref="Supersedes"/> would keep of the two (null only when both are null).</summary>
    public static StoredRecord? Newest(StoredRecord? a, StoredRecord? b) =>
        b is not null && (a is null || b.Version > a.Version) ? b : a;
}
