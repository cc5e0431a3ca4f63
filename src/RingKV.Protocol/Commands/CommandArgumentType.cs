namespace RingKV.Protocol.Commands;

/// <summary>
/// The <c>type</c> of an argument in COMMAND DOCS. On the wire as the lower-case names Redis 7 uses
/// (<see cref="CommandArgument.TypeName"/>), never as these numbers.
/// </summary>
public enum CommandArgumentType
{
    /// <summary>Any string (<c>string</c>).</summary>
    String,

    /// <summary>A signed 64-bit integer (<c>integer</c>).</summary>
    Integer,

    /// <summary>A floating point number (<c>double</c>).</summary>
    Double,

    /// <summary>A key name, with a <c>key_spec_index</c> into the command's key specs (<c>key</c>).</summary>
    Key,

    /// <summary>A glob-style pattern (<c>pattern</c>).</summary>
    Pattern,

    /// <summary>A Unix time in seconds or milliseconds (<c>unix-time</c>).</summary>
    UnixTime,

    /// <summary>A keyword with no value, e.g. <c>NX</c> (<c>pure-token</c>).</summary>
    PureToken,

    /// <summary>Exactly one of the child arguments (<c>oneof</c>).</summary>
    OneOf,

    /// <summary>All child arguments, in order (<c>block</c>).</summary>
    Block,
}
