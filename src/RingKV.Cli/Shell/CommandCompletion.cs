namespace RingKV.Cli.Shell;

/// <summary>
/// Tab completion of the shell's command names (the line's first word), by case-insensitive prefix, in the manner
/// of bash: a single match completes the word and adds a space; several matches extend the word to their longest
/// common prefix and are returned for the editor to list below the prompt (every Tab lists them again, there is no
/// cycling); no match changes nothing; Tab on an empty line lists every command. Pure, so it is tested without a terminal.
/// </summary>
public sealed class CommandCompletion(IEnumerable<string> names)
{
    private readonly string[] _names = [.. names.Select(n => n.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Names starting with <paramref name="prefix"/>, ignoring case, upper case and sorted; all of them for an empty prefix.</summary>
    public IReadOnlyList<string> Matches(string prefix) =>
        [.. _names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Completes the word the cursor ends, if it is the line's first word.</summary>
    /// <returns>
    /// The new line and cursor (unchanged when there is nothing to complete, or the cursor is not at the end of the
    /// first word), and the candidates when there are several (empty otherwise).
    /// </returns>
    public CompletionResult Complete(string line, int cursor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cursor, line.Length);
        var start = 0;
        while (start < cursor && char.IsWhiteSpace(line[start]))
        {
            start++;
        }
        var unchanged = new CompletionResult(line, cursor, []);
        var word = line[start..cursor];
        if (word.Any(char.IsWhiteSpace) || (cursor < line.Length && !char.IsWhiteSpace(line[cursor])))
        {
            return unchanged;
        }
        var matches = Matches(word);
        if (matches.Count == 0)
        {
            return unchanged;
        }
        // Commands are case-insensitive; the completion follows the case the user typed in, upper unless all lower.
        var lower = word.Any(char.IsLower) && !word.Any(char.IsUpper);
        string Cased(string text) => lower ? text.ToLowerInvariant() : text;
        if (matches.Count == 1)
        {
            var completed = Cased(matches[0]) + (cursor < line.Length ? "" : " ");
            // With a space already after the word, the cursor moves past it rather than adding a second one.
            var after = cursor < line.Length ? 1 : 0;
            return new CompletionResult(line[..start] + completed + line[cursor..], start + completed.Length + after, []);
        }
        var common = CommonPrefix(matches);
        var extended = common.Length > word.Length ? Cased(common) : word;
        return new CompletionResult(line[..start] + extended + line[cursor..], start + extended.Length, matches);
    }

    private static string CommonPrefix(IReadOnlyList<string> words)
    {
        var length = words[0].Length;
        foreach (var word in words)
        {
            length = Math.Min(length, word.Length);
            for (var i = 0; i < length; i++)
            {
                if (word[i] != words[0][i])
                {
                    length = i;
                    break;
                }
            }
        }
        return words[0][..length];
    }
}
