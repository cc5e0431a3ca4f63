namespace RingKV.Cluster;

/// <summary>How many of a key's N replicas must answer a read or acknowledge a write (per connection or node default).</summary>
public enum Consistency
{
    /// <summary>One copy: fastest, survives N-1 failures, may read stale data.</summary>
    One = 1,

    /// <summary>A majority, floor(N/2)+1: with R + W > N a read sees the latest acknowledged write.</summary>
    Quorum = 2,

    /// <summary>Every copy: fails as soon as one replica is unreachable.</summary>
    All = 3,
}

/// <summary>Arithmetic of consistency levels.</summary>
public static class ConsistencyExtensions
{
    /// <summary>Copies required out of <paramref name="replicas"/> (the slot's preference list length).</summary>
    public static int Required(this Consistency level, int replicas) => level switch
    {
        Consistency.One => Math.Min(1, replicas),
        Consistency.Quorum => replicas / 2 + 1,
        _ => replicas,
    };

    public static bool TryParse(ReadOnlySpan<char> text, out Consistency level)
    {
        level = text switch
        {
            _ when text.Equals("ONE", StringComparison.OrdinalIgnoreCase) => Consistency.One,
            _ when text.Equals("QUORUM", StringComparison.OrdinalIgnoreCase) => Consistency.Quorum,
            _ when text.Equals("ALL", StringComparison.OrdinalIgnoreCase) => Consistency.All,
            _ => 0,
        };
        return level != 0;
    }

    public static string Name(this Consistency level) => level.ToString().ToUpperInvariant();
}
