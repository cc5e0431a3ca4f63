using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace RingKV.Placement;

/// <summary>
/// An immutable set of hash slots (0..<see cref="HashSlot.Count"/>-1): a 2 KB bitmap, written as ranges
/// (<c>0-99,512,1000-1023</c>) wherever it travels (map JSON, rebalance reports, sync requests) because the
/// slots a node gains or settles come in long runs, one per arc of the ring.
/// </summary>
public sealed class SlotSet : IEnumerable<int>, IEquatable<SlotSet>
{
    private const int Words = HashSlot.Count / 64;
    private readonly ulong[] _bits;

    private SlotSet(ulong[] bits)
    {
        _bits = bits;
        Count = bits.Sum(w => BitOperations.PopCount(w));
    }

    public static SlotSet Empty { get; } = new(new ulong[Words]);

    public static SlotSet All { get; } = new(Enumerable.Repeat(ulong.MaxValue, Words).ToArray());

    public int Count { get; }

    public bool IsEmpty => Count == 0;

    public bool IsFull => Count == HashSlot.Count;

    /// <exception cref="ArgumentOutOfRangeException">A slot is out of range.</exception>
    public static SlotSet Of(IEnumerable<int> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var bits = new ulong[Words];
        foreach (var slot in slots)
        {
            CheckSlot(slot);
            bits[slot >> 6] |= 1UL << (slot & 63);
        }
        return new SlotSet(bits);
    }

    /// <summary>The slots for which <paramref name="predicate"/> holds.</summary>
    public static SlotSet Where(Func<int, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var bits = new ulong[Words];
        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            if (predicate(slot))
            {
                bits[slot >> 6] |= 1UL << (slot & 63);
            }
        }
        return new SlotSet(bits);
    }

    public bool Contains(int slot) => (uint)slot < HashSlot.Count && (_bits[slot >> 6] & (1UL << (slot & 63))) != 0;

    public SlotSet Union(SlotSet other) => Combine(other, static (a, b) => a | b);

    public SlotSet Intersect(SlotSet other) => Combine(other, static (a, b) => a & b);

    public SlotSet Except(SlotSet other) => Combine(other, static (a, b) => a & ~b);

    /// <summary>Maximal runs of consecutive slots, ascending.</summary>
    public IEnumerable<(int First, int Last)> Ranges()
    {
        var slot = 0;
        while (slot < HashSlot.Count)
        {
            if (!Contains(slot))
            {
                slot++;
                continue;
            }
            var first = slot;
            while (slot + 1 < HashSlot.Count && Contains(slot + 1))
            {
                slot++;
            }
            yield return (first, slot);
            slot++;
        }
    }

    /// <summary>The set split into pieces of at most <paramref name="size"/> slots, ascending: units of work and reports.</summary>
    public IEnumerable<SlotSet> Chunk(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        foreach (var chunk in Enumerable.Chunk(this, size))
        {
            yield return Of(chunk);
        }
    }

    /// <summary><c>first-last</c> ranges joined by commas; <c>-</c> alone for the empty set (so it is never an empty argument).</summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "-";
        }
        var text = new StringBuilder();
        foreach (var (first, last) in Ranges())
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(first.ToString(CultureInfo.InvariantCulture));
            if (last != first)
            {
                text.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    /// <exception cref="FormatException">Not a list of slots and ranges within 0..16383.</exception>
    public static SlotSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "-")
        {
            return Empty;
        }
        var bits = new ulong[Words];
        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = ParseSlot(dash < 0 ? part : part[..dash]);
            var last = dash < 0 ? first : ParseSlot(part[(dash + 1)..]);
            if (last < first)
            {
                throw new FormatException($"slot range '{part}' is backwards");
            }
            for (var slot = first; slot <= last; slot++)
            {
                bits[slot >> 6] |= 1UL << (slot & 63);
            }
        }
        return new SlotSet(bits);
    }

    public IEnumerator<int> GetEnumerator()
    {
        for (var word = 0; word < Words; word++)
        {
            var bits = _bits[word];
            while (bits != 0)
            {
                yield return (word << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(SlotSet? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as SlotSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _bits)
        {
            hash.Add(word);
        }
        return hash.ToHashCode();
    }

    private SlotSet Combine(SlotSet other, Func<ulong, ulong, ulong> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        var bits = new ulong[Words];
        for (var i = 0; i < Words; i++)
        {
            bits[i] = op(_bits[i], other._bits[i]);
        }
        return new SlotSet(bits);
    }

    private static int ParseSlot(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot >= HashSlot.Count)
        {
            throw new FormatException($"'{text}' is not a slot (0..{HashSlot.Count - 1})");
        }
        return slot;
    }

    private static void CheckSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, HashSlot.Count);
    }
}
