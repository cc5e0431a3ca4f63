namespace RingKV.Verification;

/// <summary>
/// A memoized point of the linearizability search: which operations are linearized and what the register holds.
/// Lowe's observation: two search paths reaching the same pair have the same future, so the second can be cut.
/// </summary>
/// <remarks>
/// <para>Operations are numbered in invocation order, so a linearized set is almost always "everything before some
/// point, plus a few of the operations concurrent with it". It is stored that way: the number of leading all-ones
/// words of the bitmap, then the words from there to the last non-zero one. That keeps a state near 100 bytes
/// however long the history (a full bitmap of 10,000 operations would be 1.25 KB).</para>
/// <para>The hash is maintained incrementally by the search (Zobrist: an XOR of one random word per linearized
/// operation, mixed with the register), so hashing costs O(1) and only equality compares the words.</para>
/// </remarks>
internal sealed class SearchState(int fullWords, ReadOnlyMemory<ulong> window, int register, ulong hash) : IEquatable<SearchState>
{
    /// <summary>Settable only for the search's reusable probe, whose window is a slice of the live bitmap; stored
    /// states own a copy and never change.</summary>
    public int FullWords { get; set; } = fullWords;

    public ReadOnlyMemory<ulong> Window { get; set; } = window;

    public int Register { get; set; } = register;

    public ulong Hash { get; set; } = hash;

    public bool Equals(SearchState? other) =>
        other is not null
        && other.Hash == Hash
        && other.Register == Register
        && other.FullWords == FullWords
        && other.Window.Span.SequenceEqual(Window.Span);

    public override bool Equals(object? obj) => Equals(obj as SearchState);

    public override int GetHashCode() => (int)(Hash ^ (Hash >> 32));
}
