using static RingKV.Verification.Tests.Ops;

namespace RingKV.Verification.Tests;

/// <summary>Hand-written histories used by more than one test class.</summary>
internal static class Histories
{
    /// <summary>
    /// Two writes concurrent with everything; reader 1 sees "a" then "b", reader 2 sees "b" then "a". Every read is
    /// individually plausible (nothing is stale: no write completes before any read begins), yet no single order of the
    /// two writes explains both readers.
    /// </summary>
    public static History NewOldInversion() => H(
        W(1, "a", 0, 100),
        W(2, "b", 0, 100),
        R(3, "a", 10, 20),
        R(3, "b", 30, 40),
        R(4, "b", 10, 20),
        R(4, "a", 30, 40));

    /// <summary>
    /// Many writes concurrent with each other and two later reads that contradict each other: proving that no order
    /// works means trying (nearly) all subsets of the writes, which no budget allows.
    /// </summary>
    public static History Pathological(int writes, string key = K)
    {
        var ops = Enumerable.Range(0, writes).Select(i => W(i, $"w{i}", 0, 100, key: key)).ToList();
        ops.Add(R(writes, "w1", 200, 210, key: key));
        ops.Add(R(writes, "w2", 220, 230, key: key));
        return new History(ops);
    }
}
