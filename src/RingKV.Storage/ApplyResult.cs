namespace RingKV.Storage;

/// <summary>Outcome of <see cref="IKeyValueStore.Apply"/>.</summary>
public enum ApplyResult
{
    /// <summary>The record was stored: the key was absent or held a lower version.</summary>
    Applied = 0,

    /// <summary>
    /// Nothing changed: the store already held an equal or higher version. Re-applying the same record is
    /// therefore harmless, which makes replication, hint hand-off and read repair idempotent.
    /// </summary>
    Stale = 1,
}
