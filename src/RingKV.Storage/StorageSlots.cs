using System.Runtime.CompilerServices;

namespace RingKV.Storage;

/// <summary>The hash slot range every <see cref="IKeyValueStore"/> accepts (the cluster's 16384 slots).</summary>
public static class StorageSlots
{
    public const int Count = 16384;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is outside 0..<see cref="Count"/>-1.</exception>
    public static void ThrowIfOutOfRange(int slot, [CallerArgumentExpression(nameof(slot))] string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Count, paramName);
    }
}
