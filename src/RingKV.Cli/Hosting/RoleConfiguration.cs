using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RingKV.Cli.Hosting;

/// <summary>
/// A role's settings with every layer applied (<see cref="ConfigurationLayers"/>): the parse the role reads them from,
/// and where each one came from.
/// </summary>
public sealed class RoleConfiguration
{
    public const string FlagSource = "flag";
    public const string DefaultSource = "default";

    private readonly Command _role;
    private readonly IReadOnlyDictionary<Option, string> _sources;

    internal RoleConfiguration(ParseResult parse, Command role, IReadOnlyDictionary<Option, string> sources, ConfiguredValue file,
        IReadOnlyList<KeyValuePair<string, string>> ignoredVariables)
    {
        Parse = parse;
        _role = role;
        _sources = sources;
        File = file;
        IgnoredVariables = ignoredVariables;
    }

    /// <summary>The role's command line with the configured values appended; read every setting from here.</summary>
    public ParseResult Parse { get; }

    public string Role => _role.Name;

    /// <summary>The configuration file in use (key <c>config</c>), and whether a flag or RINGKV_CONFIG named it.</summary>
    public ConfiguredValue File { get; }

    /// <summary><c>RINGKV_*</c> variables that name no setting of this role, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> IgnoredVariables { get; }

    /// <summary>Every option of the role in declaration order (hidden plumbing aside), with its value and source.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Parse"/> has errors, so some values do not exist.</exception>
    public IReadOnlyList<ConfiguredValue> Values()
    {
        if (Parse.Errors.Count > 0)
        {
            throw new InvalidOperationException("the configuration has errors: " + string.Join("; ", Parse.Errors.Select(Explain)));
        }
        return [.. _role.Options.Where(o => !o.Hidden).Select(option => option == ConfigurationLayers.FileOption ? File
            : new ConfiguredValue(ConfigurationKeys.Of(option), Shown(ConfigurationKeys.Of(option), ValueOf(option)), _sources[option]))];
    }

    /// <summary>A parse error, prefixed with the key and layer it came from when a file or variable set the value.</summary>
    public string Explain(ParseError error)
    {
        for (var symbol = error.SymbolResult; symbol is not null; symbol = symbol.Parent)
        {
            if (symbol is OptionResult { Option: var option } && _sources.TryGetValue(option, out var source)
                && source is not FlagSource and not DefaultSource)
            {
                return $"{ConfigurationKeys.Of(option)} from {source}: {error.Message}";
            }
        }
        return error.Message;
    }

    /// <summary>Logs every value and ignored variable at Debug level, one event each (ids 1000–1001).</summary>
    public void Log(ILogger logger)
    {
        foreach (var value in Values())
        {
            ConfigurationLog.Setting(logger, Role, value.Key, value.Value, value.Source);
        }
        foreach (var (variable, _) in IgnoredVariables)
        {
            ConfigurationLog.VariableIgnored(logger, variable, Role);
        }
    }

    private static string? Shown(string key, string? value) => value is not null && ConfigurationKeys.IsSecret(key) ? "(set)" : value;

    private string? ValueOf(Option option)
    {
        var value = Parse.GetResult(option) is { } result ? result.GetValueOrDefault<object?>()
            : option.HasDefaultValue ? option.GetDefaultValue() : null;
        return value switch
        {
            null => null,
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
