using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Node.Commands;

/// <summary>
/// One routable single-key command: its arity and the checks the receiving node runs before the command leaves
/// it, so malformed requests get their error without a network hop. Immutable; shared by all sessions.
/// </summary>
public sealed class KeyCommand
{
    private readonly Func<IReadOnlyList<ReadOnlyMemory<byte>>, long, string?>? _validate;

    /// <param name="validate">Returns Redis' error text for bad options (args include the name), or null.</param>
    internal KeyCommand(RespCommand command, string name, int arity, Func<IReadOnlyList<ReadOnlyMemory<byte>>, long, string?>? validate = null)
    {
        Command = command;
        WireName = System.Text.Encoding.ASCII.GetBytes(name);
        Arity = arity;
        _validate = validate;
        WrongArityError = CommandTable.WrongArityError(RespRequest.FromStrings(name));
    }

    public RespCommand Command { get; }

    /// <summary>The canonical name a forward carries (an alias such as PUT leaves the node as SET).</summary>
    public ReadOnlyMemory<byte> WireName { get; }

    /// <summary>Redis' arity convention, the name included: exactly N when positive, at least -N when negative.</summary>
    public int Arity { get; }

    /// <summary>Redis' wrong-arity error naming this command (not the RKV.FWD that carried it).</summary>
    public string WrongArityError { get; }

    public bool AcceptsArgumentCount(int count) => Arity > 0 ? count == Arity : count >= -Arity;

    /// <summary>
    /// Checks options at <paramref name="nowMs"/> (the receiving node's clock); returns an error text or null.
    /// The primary parses again when it executes, so a check here is an early answer, never the only one.
    /// </summary>
    /// <param name="args">The whole request, name first; its count already satisfies <see cref="Arity"/>.</param>
    public string? Validate(IReadOnlyList<ReadOnlyMemory<byte>> args, long nowMs) => _validate?.Invoke(args, nowMs);

    public override string ToString() => System.Text.Encoding.ASCII.GetString(WireName.Span);
}
