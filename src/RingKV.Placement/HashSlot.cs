namespace RingKV.Placement;

/// <summary>
/// Maps a key to one of <see cref="Count"/> hash slots with the Redis Cluster rule:
/// <c>CRC16-XMODEM(k) mod 16384</c>, where <c>k</c> is the hash tag if the key has one, else the whole key.
/// Matching Redis exactly lets cluster-aware Redis clients compute the same slot we do. Pure and thread-safe.
/// </summary>
public static class HashSlot
{
    public const int Count = 16384;

    /// <summary>
    /// A hash tag is the bytes between the first <c>{</c> and the first <c>}</c> after it, used only when
    /// that span is non-empty; otherwise the whole key is hashed (so <c>foo{}{bar}</c> hashes the whole key).
    /// </summary>
    public static int ForKey(ReadOnlySpan<byte> key) => Crc16.Compute(HashedPart(key)) & (Count - 1);

    private static ReadOnlySpan<byte> HashedPart(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open < 0)
        {
            return key;
        }

        var afterOpen = key[(open + 1)..];
        var close = afterOpen.IndexOf((byte)'}');
        return close > 0 ? afterOpen[..close] : key;
    }
}
