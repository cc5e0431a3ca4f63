namespace RingKV.Verification;

/// <summary>
/// What a client asked for. The numeric values and the JSON names (<c>write</c>, <c>read</c>) are stored in saved
/// histories and pinned by a golden test: never renumber or rename a member.
/// </summary>
public enum OperationKind
{
    /// <summary>Set the key to <see cref="Operation.Value"/> (a SET/PUT).</summary>
    Write = 0,

    /// <summary>Read the key; <see cref="Operation.Value"/> is what was returned (<see langword="null"/> = absent).</summary>
    Read = 1,
}
