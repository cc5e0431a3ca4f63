using System.Text;

namespace RingKV.Protocol.Commands;

/// <summary>
/// Turns a command's syntax line, written the way Redis' help text shows it, into the argument tree of COMMAND DOCS
/// (<see cref="Parse"/>), and renders a tree back to that line the way redis-cli builds its hints (<see cref="Render"/>).
/// Pure and thread-safe.
/// </summary>
/// <remarks>
/// <para>The notation, all of it visible in <c>redis-cli</c>'s <c>HELP</c> output:</para>
/// <list type="bullet">
/// <item><c>NX</c>, <c>LIB-NAME</c>: a word without lower-case letters is a token (a keyword typed as is).</item>
/// <item><c>key</c>, <c>seconds</c>: any other word is a value; its type comes from its name
/// (<c>key</c> is a key, <c>seconds</c> an integer, <c>unix-time-seconds</c> a Unix time, unknown names strings)
/// unless the caller overrides it.</item>
/// <item>A token takes the values and parenthesised groups that follow it up to the next token or bracket:
/// <c>EX seconds</c> is one argument with a token, <c>AUTH username password</c> a block with a token.</item>
/// <item><c>[...]</c> is optional; <c>a|b</c> is one of, and the alternatives extend to the enclosing bracket.</item>
/// <item><c>(...)</c> only groups, for what Redis' one-line help leaves ambiguous:
/// <c>[TYPE (NORMAL|PUBSUB)]</c>. Rendering drops the parentheses, as redis-cli shows no grouping either.</item>
/// <item><c>x [x ...]</c> repeats the argument(s) before the bracket: <c>key [key ...]</c> is a multiple key,
/// <c>key value [key value ...]</c> a multiple block, <c>ID id [ID id ...]</c> repeats the token too.</item>
/// </list>
/// <para>Group arguments (one-of and block) get generated names: their token, else up to four plain children's names
/// joined by <c>-</c> (<c>nx-xx</c>), else <c>choice</c> or <c>arguments</c>. Redis clients read names only for values.</para>
/// </remarks>
public static class CommandSyntax
{
    private static readonly Dictionary<string, CommandArgumentType> s_typesByName = new(StringComparer.Ordinal)
    {
        ["key"] = CommandArgumentType.Key,
        ["newkey"] = CommandArgumentType.Key,
        ["pattern"] = CommandArgumentType.Pattern,
        ["seconds"] = CommandArgumentType.Integer,
        ["milliseconds"] = CommandArgumentType.Integer,
        ["count"] = CommandArgumentType.Integer,
        ["offset"] = CommandArgumentType.Integer,
        ["start"] = CommandArgumentType.Integer,
        ["end"] = CommandArgumentType.Integer,
        ["increment"] = CommandArgumentType.Integer,
        ["decrement"] = CommandArgumentType.Integer,
        ["cursor"] = CommandArgumentType.Integer,
        ["slot"] = CommandArgumentType.Integer,
        ["client-id"] = CommandArgumentType.Integer,
        ["index"] = CommandArgumentType.Integer,
        ["protover"] = CommandArgumentType.Integer,
        ["version"] = CommandArgumentType.Integer,
        ["unix-time-seconds"] = CommandArgumentType.UnixTime,
        ["unix-time-milliseconds"] = CommandArgumentType.UnixTime,
    };

    /// <summary>Parses <paramref name="line"/> (the arguments after the command name; empty for none).</summary>
    /// <param name="types">Types for value names whose inferred type is wrong for this command (INCRBYFLOAT's
    /// <c>increment</c> is a double).</param>
    /// <param name="keySpecCount">The command's key specs: the n-th key argument gets key spec index
    /// <c>min(n, keySpecCount - 1)</c>.</param>
    /// <exception cref="FormatException">The line is malformed (unbalanced brackets, empty alternative, a repetition that
    /// repeats nothing before it), or it has a key argument but the command has no key spec.</exception>
    public static IReadOnlyList<CommandArgument> Parse(string line, IReadOnlyDictionary<string, CommandArgumentType>? types = null,
        int keySpecCount = 0)
    {
        var lexemes = Lex(line);
        var pos = 0;
        var alternatives = ParseAlternatives(lexemes, ref pos, close: null);
        var context = new Context(line, types);
        IReadOnlyList<CommandArgument> arguments = alternatives.Count switch
        {
            1 => Convert(alternatives[0], context),
            _ => [OneOf(alternatives, context)],
        };
        var keys = 0;
        return AssignKeySpecs(arguments, keySpecCount, ref keys, line);
    }

    /// <summary>
    /// The arguments as one line, exactly as redis-cli 7 renders COMMAND DOCS into hints and <c>HELP</c> text
    /// (redis-cli.c, <c>cliAddArgument</c>): children of a one-of joined by <c>|</c>, of a block by spaces.
    /// </summary>
    public static string Render(IEnumerable<CommandArgument> arguments) => string.Join(' ', arguments.Select(RenderOne));

    private static string RenderOne(CommandArgument argument)
    {
        var repeat = argument.Type switch
        {
            CommandArgumentType.OneOf => string.Join('|', argument.Arguments.Select(RenderOne)),
            CommandArgumentType.Block => Render(argument.Arguments),
            CommandArgumentType.PureToken => "",
            _ => argument.Name.Length == 0 ? "\"\"" : argument.Name,
        };
        var token = argument.Token switch
        {
            null => "",
            "" => "\"\"",
            _ => argument.Type == CommandArgumentType.PureToken ? argument.Token : argument.Token + " ",
        };
        var text = new StringBuilder();
        if (argument.IsOptional) { text.Append('['); }
        text.Append(token).Append(repeat);
        if (argument.IsMultiple)
        {
            text.Append(" [");
            if ((argument.Flags & CommandArgumentFlags.MultipleToken) != 0) { text.Append(token); }
            text.Append(repeat).Append(" ...]");
        }
        if (argument.IsOptional) { text.Append(']'); }
        return text.ToString();
    }

    private static List<string> Lex(string line)
    {
        var lexemes = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '[' or ']' or '(' or ')' or '|')
            {
                lexemes.Add(c.ToString());
                i++;
                continue;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('[' or ']' or '(' or ')' or '|'))
            {
                i++;
            }
            lexemes.Add(line[start..i]);
        }
        return lexemes;
    }

    private static List<List<Unit>> ParseAlternatives(List<string> lexemes, ref int pos, string? close)
    {
        var alternatives = new List<List<Unit>> { new() };
        while (true)
        {
            if (pos == lexemes.Count)
            {
                if (close is not null) { throw new FormatException($"missing '{close}'"); }
                break;
            }
            var lexeme = lexemes[pos++];
            if (lexeme is "]" or ")")
            {
                if (lexeme != close) { throw new FormatException($"unexpected '{lexeme}'"); }
                break;
            }
            if (lexeme == "|")
            {
                alternatives.Add([]);
            }
            else if (lexeme is "[" or "(")
            {
                var inner = ParseAlternatives(lexemes, ref pos, lexeme == "[" ? "]" : ")");
                alternatives[^1].Add(new Group(inner, Optional: lexeme == "["));
            }
            else
            {
                alternatives[^1].Add(new Word(lexeme));
            }
        }
        // An empty line has no arguments; an empty alternative ("a||b", "[]") is a mistake in the catalog.
        if (alternatives.Count > 1 || close is not null)
        {
            if (alternatives.Any(a => a.Count == 0)) { throw new FormatException("empty alternative or group"); }
        }
        return alternatives;
    }

    private static List<CommandArgument> Convert(List<Unit> sequence, Context context)
    {
        var arguments = new List<CommandArgument>();
        var i = 0;
        while (i < sequence.Count)
        {
            var unit = sequence[i];
            if (unit is Group { Optional: true } repeat && repeat.Alternatives is [[.., Word { IsEllipsis: true }] content])
            {
                MarkRepeated(arguments, Convert(content[..^1], context), context);
                i++;
            }
            else if (unit is Word { IsEllipsis: true })
            {
                throw new FormatException($"'...' outside a repetition in '{context.Line}'");
            }
            else if (unit is Word { IsToken: true } token)
            {
                // A token takes the values and required groups after it: "EX seconds", "AUTH username password".
                var end = i + 1;
                while (end < sequence.Count && sequence[end] is Word { IsToken: false, IsEllipsis: false } or Group { Optional: false })
                {
                    end++;
                }
                arguments.Add(end == i + 1
                    ? new CommandArgument { Name = token.Text.ToLowerInvariant(), Type = CommandArgumentType.PureToken, Token = token.Text }
                    : WithToken(Convert(sequence[(i + 1)..end], context), token.Text));
                i = end;
            }
            else if (unit is Word value)
            {
                arguments.Add(new CommandArgument { Name = value.Text, Type = context.TypeOf(value.Text) });
                i++;
            }
            else
            {
                var group = (Group)unit;
                var argument = group.Alternatives.Count > 1
                    ? OneOf(group.Alternatives, context)
                    : Single(Convert(group.Alternatives[0], context));
                arguments.Add(group.Optional ? argument with { Flags = argument.Flags | CommandArgumentFlags.Optional } : argument);
                i++;
            }
        }
        return arguments;
    }

    private static CommandArgument WithToken(List<CommandArgument> values, string token) =>
        values is [{ Token: null } only]
            ? only with { Token = token }
            : new CommandArgument { Name = token.ToLowerInvariant(), Type = CommandArgumentType.Block, Token = token, Arguments = values };

    private static CommandArgument OneOf(List<List<Unit>> alternatives, Context context)
    {
        var children = alternatives.Select(a => Single(Convert(a, context))).ToArray();
        return new CommandArgument { Name = GroupName(children, "choice"), Type = CommandArgumentType.OneOf, Arguments = children };
    }

    private static CommandArgument Single(List<CommandArgument> arguments) =>
        arguments.Count == 1
            ? arguments[0]
            : new CommandArgument { Name = GroupName(arguments, "arguments"), Type = CommandArgumentType.Block, Arguments = arguments };

    // "nx-xx", "key-value": short enough to read; longer or nested groups get a generic name, as no client reads it.
    private static string GroupName(IReadOnlyList<CommandArgument> children, string generic) =>
        children.Count <= 4 && children.All(c => c.Arguments.Count == 0) ? string.Join('-', children.Select(c => c.Name)) : generic;

    /// <summary>
    /// Applies <c>[content ...]</c> to the arguments before it: the last argument when <paramref name="content"/> renders
    /// as that argument (with its token: multiple_token) or as its value alone, else the shortest run of last arguments
    /// whose block renders as it.
    /// </summary>
    private static void MarkRepeated(List<CommandArgument> arguments, List<CommandArgument> content, Context context)
    {
        var expected = Render(content);
        if (arguments.Count > 0 && arguments[^1].Token is not null && Render([arguments[^1]]) == expected)
        {
            const CommandArgumentFlags repeated = CommandArgumentFlags.Multiple | CommandArgumentFlags.MultipleToken;
            arguments[^1] = arguments[^1] with { Flags = arguments[^1].Flags | repeated };
            return;
        }
        if (arguments.Count > 0 && Render([arguments[^1] with { Token = null }]) == expected)
        {
            arguments[^1] = arguments[^1] with { Flags = arguments[^1].Flags | CommandArgumentFlags.Multiple };
            return;
        }
        for (var count = 2; count <= arguments.Count; count++)
        {
            var run = arguments[^count..];
            if (Render(run) == expected)
            {
                arguments.RemoveRange(arguments.Count - count, count);
                arguments.Add(Single(run) with { Flags = CommandArgumentFlags.Multiple });
                return;
            }
        }
        throw new FormatException($"'[{expected} ...]' repeats nothing before it in '{context.Line}'");
    }

    private static List<CommandArgument> AssignKeySpecs(IReadOnlyList<CommandArgument> arguments, int keySpecCount, ref int keys, string line)
    {
        var result = new List<CommandArgument>(arguments.Count);
        foreach (var argument in arguments)
        {
            if (argument.Type == CommandArgumentType.Key)
            {
                if (keySpecCount == 0) { throw new FormatException($"key argument '{argument.Name}' but no key spec in '{line}'"); }
                result.Add(argument with { KeySpecIndex = Math.Min(keys++, keySpecCount - 1) });
            }
            else if (argument.Arguments.Count > 0)
            {
                result.Add(argument with { Arguments = AssignKeySpecs(argument.Arguments, keySpecCount, ref keys, line) });
            }
            else
            {
                result.Add(argument);
            }
        }
        return result;
    }

    private abstract record Unit;

    private sealed record Word(string Text) : Unit
    {
        public bool IsEllipsis => Text == "...";

        // "NX", "LIB-NAME", "AUTH2": letters, none lower-case. "ip:port" and "yes/no" are values.
        public bool IsToken => Text.Any(char.IsLetter) && !Text.Any(char.IsLower);
    }

    private sealed record Group(List<List<Unit>> Alternatives, bool Optional) : Unit;

    private sealed record Context(string Line, IReadOnlyDictionary<string, CommandArgumentType>? Types)
    {
        public CommandArgumentType TypeOf(string name) =>
            Types is not null && Types.TryGetValue(name, out var type) ? type
            : s_typesByName.TryGetValue(name, out type) ? type
            : CommandArgumentType.String;
    }
}
