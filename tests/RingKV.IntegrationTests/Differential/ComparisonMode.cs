namespace RingKV.IntegrationTests.Differential;

/// <summary>How the harness decides that two replies to the same command agree (chosen by <see cref="ComparisonPolicy"/>).</summary>
/// <remarks>In every mode, an error reply (or a reply of another shape than the mode expects) is compared byte for byte.</remarks>
public enum ComparisonMode
{
    /// <summary>Byte for byte, errors included.</summary>
    Exact = 0,

    /// <summary>Both arrays hold the same elements as a multiset (KEYS: the order follows each server's hash table).</summary>
    Unordered = 1,

    /// <summary>
    /// Integers within the command's tolerance when both are non-negative, equal when either is negative
    /// (-1 no expiry, -2 no key): the clock advances between the two sends (TTL, PTTL, EXPIRETIME, PEXPIRETIME).
    /// </summary>
    TolerantTime = 2,

    /// <summary>
    /// The command starts a cursor loop that the harness completes on each side with the same options; the unions
    /// of the returned keys must be equal as sets (SCAN: cursor values differ by design). The command must start
    /// at cursor 0: any other cursor names a position in one server's table that means nothing to the other.
    /// </summary>
    Scan = 3,

    /// <summary>Both nil, or both a bulk string naming a key that EXISTS on its own side (RANDOMKEY).</summary>
    Shape = 4,
}
