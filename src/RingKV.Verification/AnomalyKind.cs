namespace RingKV.Verification;

/// <summary>What a checker found wrong. Not persisted; reports print the kebab-case name from <see cref="Anomaly"/>.</summary>
public enum AnomalyKind
{
    /// <summary>Invalid input, not a store bug: two writes of one key wrote the same value, so reads of it are
    /// ambiguous. The key is skipped by every checker.</summary>
    DuplicateValue,

    /// <summary>An acknowledged write is missing from the final state: the key is absent, or holds a value written by
    /// a write that had completed before the acknowledged one began.</summary>
    LostWrite,

    /// <summary>The final state holds a value that no write of the key (of any outcome) wrote.</summary>
    PhantomFinal,

    /// <summary>A successful read returned a value no write had written (or had even begun to write) by then.</summary>
    PhantomRead,

    /// <summary>A read (or the final state) returned the value of a write that failed, i.e. certainly had no effect.
    /// Either the store applied a write it reported as failed or the client classified an indeterminate error as
    /// <see cref="Outcome.Fail"/> (see <see cref="Outcome"/>).</summary>
    ReadOfFailedWrite,

    /// <summary>A read returned a value (or absence) strictly older than a write acknowledged before the read began.</summary>
    StaleRead,

    /// <summary>No total order of the key's operations respects real time and register semantics.</summary>
    NotLinearizable,
}
