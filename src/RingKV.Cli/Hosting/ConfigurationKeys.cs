using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace RingKV.Cli.Hosting;

/// <summary>
/// The names configuration uses: a key is a role option's long name without its dashes (<c>data-dir</c>), its
/// variable is <c>RINGKV_</c> + the key upper-cased with <c>_</c> for <c>-</c> (<c>RINGKV_DATA_DIR</c>), and a file
/// may hold keys at its top level (for every role that has them) or in a section named after a role.
/// </summary>
public static class ConfigurationKeys
{
    public const string VariablePrefix = "RINGKV_";

    /// <summary>The roles, which are also the names of the file's sections.</summary>
    public static readonly IReadOnlyList<string> Roles = ["node", "coordinator"];

    public static string Of(Option option) => option.Name.TrimStart('-');

    /// <summary>Keys whose values are secrets: shown and logged as <c>(set)</c>, never as themselves.</summary>
    public static bool IsSecret(string key) => key is "requirepass" or "cluster-secret";

    public static string VariableOf(string key) => VariablePrefix + key.ToUpperInvariant().Replace('-', '_');

    /// <summary>The key a <c>RINGKV_*</c> variable names (whether or not a role has it), or null for other variables.</summary>
    public static string? FromVariable(string variable) =>
        variable.StartsWith(VariablePrefix, StringComparison.Ordinal) && variable.Length > VariablePrefix.Length
            ? variable[VariablePrefix.Length..].ToLowerInvariant().Replace('_', '-')
            : null;

    /// <summary>
    /// Every problem with the keys of a configuration file, one sentence each: keys no role has (with close matches),
    /// keys in a role's section that role does not have, sections that are not objects, settings that are.
    /// </summary>
    /// <param name="keysByRole">Each role's settable keys (case-insensitive sets).</param>
    public static IReadOnlyList<string> Problems(IConfiguration file, IReadOnlyDictionary<string, IReadOnlySet<string>> keysByRole)
    {
        var anyRole = keysByRole.Values.SelectMany(k => k).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var (path, value) in file.AsEnumerable())
        {
            // Paths deeper than "key" or "role:key" belong to an object or array that the path above them reports.
            var parts = path.Split(ConfigurationPath.KeyDelimiter);
            var section = Roles.FirstOrDefault(r => r.Equals(parts[0], StringComparison.OrdinalIgnoreCase));
            var problem = (parts, section) switch
            {
                ([_], not null) => value is null ? null : $"'{parts[0]}' must be an object of {section} settings",
                ([var key], null) => Check(key, value, anyRole, "a setting of any role"),
                ([_, var key], not null) => Check(key, value, keysByRole[section], $"a {section} setting"),
                _ => null,
            };
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        return problems;
    }

    private static string? Check(string key, string? value, IReadOnlySet<string> known, string what) =>
        key.Equals("config", StringComparison.OrdinalIgnoreCase) ? "'config' cannot be set in a configuration file"
        : !known.Contains(key) ? $"unknown key '{key}': not {what}{Suggest(key, known)}"
        : value is null ? $"'{key}' must be a single value, not an object or an array"
        : null;

    private static string Suggest(string key, IEnumerable<string> known)
    {
        var close = known.Select(k => (Key: k, Distance: Distance(key.ToLowerInvariant(), k)))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 4))
            .OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal).Take(3).Select(c => c.Key).ToList();
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)";
    }

    // Levenshtein distance; keys are a few dozen characters, so the full table costs nothing.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
