namespace RingKV.Protocol.Commands;

/// <summary>
/// One node of a command's argument tree as COMMAND DOCS reports it (Redis 7's <c>arguments</c> entries), built by
/// <see cref="CommandSyntax.Parse"/> from a catalog syntax line. Immutable.
/// </summary>
public sealed record CommandArgument
{
    /// <summary>The name shown for a value (<c>seconds</c>); pure tokens use their token in lower case.</summary>
    public required string Name { get; init; }

    public required CommandArgumentType Type { get; init; }

    /// <summary>The keyword that precedes the value (<c>EX</c> in <c>EX seconds</c>), or null.</summary>
    public string? Token { get; init; }

    public CommandArgumentFlags Flags { get; init; }

    /// <summary>For <see cref="CommandArgumentType.Key"/>: index into the command's key specs; -1 otherwise.</summary>
    public int KeySpecIndex { get; init; } = -1;

    /// <summary>Children of a <see cref="CommandArgumentType.OneOf"/> or <see cref="CommandArgumentType.Block"/>; empty otherwise.</summary>
    public IReadOnlyList<CommandArgument> Arguments { get; init; } = [];

    /// <summary>The wire name of <see cref="Type"/> (<c>pure-token</c>, <c>unix-time</c>, ...).</summary>
    public string TypeName => Type switch
    {
        CommandArgumentType.String => "string",
        CommandArgumentType.Integer => "integer",
        CommandArgumentType.Double => "double",
        CommandArgumentType.Key => "key",
        CommandArgumentType.Pattern => "pattern",
        CommandArgumentType.UnixTime => "unix-time",
        CommandArgumentType.PureToken => "pure-token",
        CommandArgumentType.OneOf => "oneof",
        CommandArgumentType.Block => "block",
        _ => throw new InvalidOperationException($"unknown argument type {Type}"),
    };

    public bool IsOptional => (Flags & CommandArgumentFlags.Optional) != 0;

    public bool IsMultiple => (Flags & CommandArgumentFlags.Multiple) != 0;

    public override string ToString() => CommandSyntax.Render([this]);
}
