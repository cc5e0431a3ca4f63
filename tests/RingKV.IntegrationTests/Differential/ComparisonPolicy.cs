namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// The one place that says how each command's replies are compared. Everything not listed is
/// <see cref="ComparisonMode.Exact"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>KEYS → <see cref="ComparisonMode.Unordered"/>.</item>
/// <item>TTL ±1 s, PTTL ±1500 ms, EXPIRETIME ±2 s, PEXPIRETIME ±2000 ms → <see cref="ComparisonMode.TolerantTime"/>:
/// the second server computes its expiry later than the first (a relative EXPIRE) and is asked later (a TTL); the
/// sequences only use relative expiries of 1000 s and more, so no key expires during a run.</item>
/// <item>SCAN → <see cref="ComparisonMode.Scan"/>.</item>
/// <item>RANDOMKEY → <see cref="ComparisonMode.Shape"/>.</item>
/// </list>
/// </remarks>
public static class ComparisonPolicy
{
    public static ComparisonMode ModeFor(RedisCommand command) => command.Name switch
    {
        "KEYS" => ComparisonMode.Unordered,
        "TTL" or "PTTL" or "EXPIRETIME" or "PEXPIRETIME" => ComparisonMode.TolerantTime,
        "SCAN" => ComparisonMode.Scan,
        "RANDOMKEY" => ComparisonMode.Shape,
        _ => ComparisonMode.Exact,
    };

    /// <summary>The largest accepted difference of two non-negative integer replies in <see cref="ComparisonMode.TolerantTime"/>.</summary>
    public static long ToleranceFor(RedisCommand command) => command.Name switch
    {
        "TTL" => 1,
        "PTTL" => 1500,
        "EXPIRETIME" => 2,
        "PEXPIRETIME" => 2000,
        _ => 0,
    };
}
