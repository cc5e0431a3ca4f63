namespace RingKV.IntegrationTests.Differential;

/// <summary>The comparisons that need nothing but the two replies (<see cref="ComparisonMode.Exact"/>,
/// <see cref="ComparisonMode.Unordered"/>, <see cref="ComparisonMode.TolerantTime"/>).</summary>
public static class ReplyComparer
{
    /// <param name="tolerance">Only for <see cref="ComparisonMode.TolerantTime"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> needs more than the replies (Scan, Shape).</exception>
    public static bool Agree(ComparisonMode mode, RespFrame reference, RespFrame subject, long tolerance = 0) => mode switch
    {
        ComparisonMode.Exact => Exact(reference, subject),
        ComparisonMode.Unordered => Unordered(reference, subject),
        ComparisonMode.TolerantTime => WithinTolerance(reference, subject, tolerance),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "this mode sends further commands; the harness compares it"),
    };

    public static bool Exact(RespFrame reference, RespFrame subject) => reference.Raw.AsSpan().SequenceEqual(subject.Raw);

    /// <summary>Two arrays with the same elements (byte for byte) in any order, duplicates counted.</summary>
    public static bool Unordered(RespFrame reference, RespFrame subject)
    {
        if (!reference.IsArray || !subject.IsArray)
        {
            return Exact(reference, subject);
        }
        if (reference.Items!.Count != subject.Items!.Count)
        {
            return false;
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in reference.Items)
        {
            var key = Convert.ToHexString(item.Raw);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        foreach (var item in subject.Items)
        {
            var key = Convert.ToHexString(item.Raw);
            if (counts.GetValueOrDefault(key) == 0)
            {
                return false;
            }
            counts[key]--;
        }
        return true;
    }

    /// <summary>Non-negative integers within <paramref name="tolerance"/>; a negative integer (a status code) exactly.</summary>
    public static bool WithinTolerance(RespFrame reference, RespFrame subject, long tolerance)
    {
        if (!reference.IsInteger || !subject.IsInteger || reference.Integer < 0 || subject.Integer < 0)
        {
            return Exact(reference, subject);
        }
        return Math.Abs(reference.Integer - subject.Integer) <= tolerance;
    }

    /// <summary>Where two replies first differ, to point into replies too long to print whole.</summary>
    public static int FirstDifference(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> subject)
    {
        var common = reference.CommonPrefixLength(subject);
        return common == reference.Length && common == subject.Length ? -1 : common;
    }
}
