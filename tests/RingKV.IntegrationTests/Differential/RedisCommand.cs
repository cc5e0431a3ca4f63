using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>One command of a sequence: its binary-safe arguments and, for sequence files, where it was written.</summary>
/// <param name="Line">1-based line in the sequence file; 0 for generated commands.</param>
public sealed record RedisCommand(IReadOnlyList<byte[]> Arguments, int Line = 0)
{
    /// <summary>The command name in upper case (ASCII); empty for an empty command.</summary>
    public string Name => Arguments.Count == 0 ? "" : Encoding.Latin1.GetString(Arguments[0]).ToUpperInvariant();

    /// <summary>Builds a command from text arguments; each char becomes one byte (Latin-1, so "\0" and "\xff" pass).</summary>
    public static RedisCommand Of(params string[] arguments) => new([.. arguments.Select(Encoding.Latin1.GetBytes)]);

    /// <summary>A copy with argument <paramref name="index"/> replaced (the SCAN cursor).</summary>
    public RedisCommand With(int index, string argument)
    {
        var arguments = Arguments.ToArray();
        arguments[index] = Encoding.Latin1.GetBytes(argument);
        return this with { Arguments = arguments };
    }

    /// <summary>The command as a sequence file would spell it (long arguments cut).</summary>
    public override string ToString() => string.Join(' ', Arguments.Select(a => Escaping.Argument(a)));

    public bool Equals(RedisCommand? other) =>
        other is not null && Line == other.Line && Arguments.Count == other.Arguments.Count
        && Arguments.Zip(other.Arguments).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));

    public override int GetHashCode() => HashCode.Combine(Line, ToString());
}
