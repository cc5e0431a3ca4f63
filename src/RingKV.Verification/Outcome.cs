namespace RingKV.Verification;

/// <summary>
/// What the client learned about an operation. The numeric values and the JSON names (<c>unknown</c>, <c>ok</c>,
/// <c>fail</c>) are stored in saved histories and pinned by a golden test: never renumber or rename a member.
/// </summary>
/// <remarks>
/// <para>The rule that decides between <see cref="Fail"/> and <see cref="Unknown"/>: an operation is
/// <see cref="Fail"/> only if it <em>certainly</em> had no effect on any copy, e.g. the server rejected it before
/// doing anything (a syntax error, a wrong number of arguments, WRONGTYPE, NOAUTH). Everything else that is not a
/// success is <see cref="Unknown"/>: a timeout, a dropped or reset connection, a node that died mid-request, and
/// <c>NOREPLICAS</c> (a quorum write that did not reach W copies may still have reached some, and anti-entropy will
/// spread it). Classifying an indeterminate error as <see cref="Fail"/> makes the checkers report false anomalies
/// ("read of a failed write"); classifying a certain failure as <see cref="Unknown"/> only weakens the check.</para>
/// <para><see cref="Unknown"/> is zero so that an outcome that was never set is the safe, weakest claim.</para>
/// </remarks>
public enum Outcome
{
    /// <summary>May or may not have taken effect, now or later. The checkers treat it as completing at +infinity.</summary>
    Unknown = 0,

    /// <summary>Acknowledged: a write took effect; a read returned <see cref="Operation.Value"/>.</summary>
    Ok = 1,

    /// <summary>Certainly took no effect (see the remarks for what qualifies).</summary>
    Fail = 2,
}
