using RingKV.Protocol.Commands;

namespace RingKV.Net;

/// <summary>
/// Full names (<c>client|list</c>) and arities of the subcommands of container commands, as Redis 7 names them in
/// CLIENT LIST's <c>cmd=</c> and in arity errors. Lookups allocate nothing: the returned name is the cached key.
/// </summary>
/// <remarks>Arity follows Redis: n means exactly n arguments (command and subcommand included), -n at least n.</remarks>
public static class Subcommands
{
    private const int MaxNameLength = 48;

    // The command catalog is the one list of subcommands and their arities (it also feeds COMMAND and COMMAND DOCS),
    // so a subcommand can not be served without being advertised, or the other way round.
    private static readonly Dictionary<string, int> s_arity = CommandCatalog.All
        .SelectMany(c => c.Subcommands)
        .DistinctBy(s => s.Name)
        .ToDictionary(s => s.Name, s => s.Arity, StringComparer.Ordinal);

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_arity.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Finds <paramref name="container"/>|<paramref name="subcommand"/> (ASCII, any case).</summary>
    public static bool TryFind(string container, ReadOnlySpan<byte> subcommand, out string fullName, out int arity)
    {
        fullName = "";
        arity = 0;
        var length = container.Length + 1 + subcommand.Length;
        if (length > MaxNameLength)
        {
            return false;
        }
        Span<char> name = stackalloc char[length];
        container.AsSpan().CopyTo(name);
        name[container.Length] = '|';
        for (var i = 0; i < subcommand.Length; i++)
        {
            name[container.Length + 1 + i] = char.ToLowerInvariant((char)subcommand[i]);
        }
        return s_lookup.TryGetValue(name, out fullName!, out arity);
    }

    /// <summary>True when <paramref name="count"/> arguments satisfy <paramref name="arity"/>.</summary>
    public static bool ArityAllows(int arity, int count) => arity > 0 ? count == arity : count >= -arity;
}
