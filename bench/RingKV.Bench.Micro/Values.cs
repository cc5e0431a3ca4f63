namespace RingKV.Bench.Micro;

/// <summary>Deterministic test data shared by the benchmarks.</summary>
internal static class Values
{
    /// <summary>A printable value of <paramref name="length"/> bytes (what a typical small cache entry looks like).</summary>
    public static byte[] Payload(int length)
    {
        var value = new byte[length];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }
        return value;
    }

    /// <summary>The key the benchmarks read and write: <c>key:000123</c> for 123.</summary>
    public static byte[] Key(int n) => System.Text.Encoding.ASCII.GetBytes($"key:{n:D6}");
}
