namespace RingKV.Verification;

/// <summary>Verdict of <see cref="LinearizabilityChecker"/> for one key or a whole history.</summary>
public enum LinearizabilityStatus
{
    /// <summary>A legal order was found (for a history: for every key).</summary>
    Linearizable,

    /// <summary>The search proved that no legal order exists (for a history: for at least one key).</summary>
    NotLinearizable,

    /// <summary>Not decided: time budget or search memory exhausted, too many operations, or invalid input
    /// (for a history: some key is unknown and none is proven non-linearizable).</summary>
    Unknown,
}
