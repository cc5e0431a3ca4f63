namespace RingKV.Protocol.Commands;

/// <summary>The <c>flags</c> of an argument in COMMAND DOCS; on the wire as names, in this order.</summary>
[Flags]
public enum CommandArgumentFlags
{
    /// <summary>Required, given once.</summary>
    None = 0,

    /// <summary><c>optional</c>: may be left out (written <c>[arg]</c>).</summary>
    Optional = 1,

    /// <summary><c>multiple</c>: may be repeated (written <c>arg [arg ...]</c>).</summary>
    Multiple = 2,

    /// <summary><c>multiple_token</c>: each repetition repeats the token too (<c>TOKEN arg [TOKEN arg ...]</c>).</summary>
    MultipleToken = 4,
}
