using System.Collections;
using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace RingKV.Cli.Hosting;

/// <summary>
/// Where a role's settings come from, lowest precedence first: built-in defaults, the JSON configuration file,
/// <c>RINGKV_*</c> environment variables, command-line flags (docs/configuration.md).
/// </summary>
/// <remarks>
/// Configuration is more flags. The file and the variables are merged with Microsoft.Extensions.Configuration, and
/// every key the user did not type becomes a <c>--key value</c> token appended to the role's command line, which
/// System.CommandLine then parses again. A value from a file or a variable is therefore converted and validated
/// exactly like the flag, and the role reads every setting from one <see cref="ParseResult"/> whatever its origin.
/// Only the role commands (and <c>config show</c>) go through this: the verbs under <c>node</c> act on a running
/// cluster and have settings of their own.
/// </remarks>
public static class ConfigurationLayers
{
    /// <summary>Exit code of a role whose configuration is wrong: unreadable file, unknown key, invalid value.</summary>
    public const int InvalidConfiguration = 2;

    public static readonly Option<string?> FileOption = new("--config")
    {
        Description = "JSON configuration file (or set RINGKV_CONFIG); RINGKV_* variables and flags override it. See docs/configuration.md",
        HelpName = "path",
    };

    /// <summary>The options of <paramref name="role"/> configuration can set: all but hidden plumbing and the file itself.</summary>
    public static IEnumerable<Option> Settings(Command role) => role.Options.Where(o => !o.Hidden && o != FileOption);

    /// <summary>
    /// Runs a role with its layered configuration: <paramref name="typed"/> is what the user typed, <paramref name="role"/>
    /// gets the configuration with every layer applied. A configuration error is printed and ends the process with
    /// <see cref="InvalidConfiguration"/> before the role starts.
    /// </summary>
    public static async Task<int> RunRoleAsync(ParseResult typed, Func<RoleConfiguration, Task<int>> role)
    {
        var configuration = TryApply(typed, Environment.GetEnvironmentVariables());
        return configuration is null ? InvalidConfiguration : await role(configuration);
    }

    /// <summary>Like <see cref="Apply"/>, but prints what is wrong to stderr and returns null instead of throwing.</summary>
    public static RoleConfiguration? TryApply(ParseResult typed, IDictionary environment)
    {
        RoleConfiguration configuration;
        try
        {
            configuration = Apply(typed, environment);
        }
        catch (ConfigurationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
        foreach (var error in configuration.Parse.Errors)
        {
            Console.Error.WriteLine($"error: {configuration.Explain(error)}");
        }
        return configuration.Parse.Errors.Count == 0 ? configuration : null;
    }

    /// <summary>Adds the file and environment layers to the command line of a role command the user typed.</summary>
    /// <param name="typed">A parse whose command is a role (its <see cref="ParseResult.CommandResult"/>).</param>
    /// <param name="environment">The process' variables; those named <c>RINGKV_*</c> count.</param>
    /// <returns>The configuration; its <see cref="RoleConfiguration.Parse"/> may hold errors of configured values.</returns>
    /// <exception cref="ConfigurationException">The file is missing, not JSON, or has keys no role knows.</exception>
    public static RoleConfiguration Apply(ParseResult typed, IDictionary environment)
    {
        var role = typed.CommandResult.Command;
        var settings = Settings(role).ToDictionary(ConfigurationKeys.Of, StringComparer.OrdinalIgnoreCase);
        var variables = new Dictionary<string, string>();
        var ignored = new List<KeyValuePair<string, string>>();
        string? fileVariable = null;
        foreach (DictionaryEntry entry in environment)
        {
            // An empty variable counts as unset, so `RINGKV_X= ringkv node` switches a layer off for one run.
            if (entry.Key is not string name || entry.Value is not string { Length: > 0 } value
                || ConfigurationKeys.FromVariable(name) is not { } key)
            {
                continue;
            }
            if (key == ConfigurationKeys.Of(FileOption))
            {
                fileVariable = value;
            }
            else if (settings.ContainsKey(key))
            {
                variables[key] = value;
            }
            else
            {
                // Other tools share the prefix (the tests' RINGKV_REQUIRE_NODE); config show lists them.
                ignored.Add(KeyValuePair.Create(name, value));
            }
        }
        ignored.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        var (file, fileSource) = typed.GetValue(FileOption) is { } flagged ? (flagged, RoleConfiguration.FlagSource)
            : fileVariable is not null ? (fileVariable, $"env {ConfigurationKeys.VariableOf(ConfigurationKeys.Of(FileOption))}")
            : ((string?)null, RoleConfiguration.DefaultSource);
        var layered = Merge(role, settings.Keys, file is null ? null : Path.GetFullPath(file), variables);

        var sources = new Dictionary<Option, string>();
        var injected = new List<string>();
        foreach (var (key, option) in settings)
        {
            if (typed.GetResult(option) is { Implicit: false })
            {
                sources[option] = RoleConfiguration.FlagSource;
            }
            else if (layered.TryGetValue(key, out var value))
            {
                sources[option] = value.Source;
                // One token, --key=value: a value that starts with '-' or '@' must not read as an option or a response file.
                injected.Add($"{option.Name}={value.Text}");
            }
            else
            {
                sources[option] = RoleConfiguration.DefaultSource;
            }
        }
        // The parse's tokens are the user's command line after response files and --x=y splitting; appending to
        // them keeps the role command the deepest one named, so the injected options land on it.
        var parse = injected.Count == 0 ? typed
            : typed.RootCommandResult.Command.Parse([.. typed.Tokens.Select(t => t.Value), .. injected], typed.Configuration);
        return new RoleConfiguration(parse, role, sources, new ConfiguredValue(ConfigurationKeys.Of(FileOption), file, fileSource), ignored);
    }

    private readonly record struct LayeredValue(string Text, string Source);

    // The variables are filed under the role's section, so they beat the file's section for that role as well as its
    // top level; the file's section beats its top level because it is looked up first.
    private static Dictionary<string, LayeredValue> Merge(Command role, IEnumerable<string> keys, string? path, IReadOnlyDictionary<string, string> variables)
    {
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            builder.AddConfiguration(LoadFile(path, role), shouldDisposeConfiguration: true);
        }
        builder.AddInMemoryCollection(variables.Select(v => KeyValuePair.Create<string, string?>($"{role.Name}:{v.Key}", v.Value)));
        using var merged = (ConfigurationRoot)builder.Build();
        var values = new Dictionary<string, LayeredValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var at = merged[$"{role.Name}:{key}"] is not null ? $"{role.Name}:{key}" : merged[key] is not null ? key : null;
            if (at is null)
            {
                continue;
            }
            var fromFile = merged.Providers.Last(p => p.TryGet(at, out _)) is ChainedConfigurationProvider;
            values[key] = new LayeredValue(merged[at]!, fromFile ? $"file {path}" : $"env {ConfigurationKeys.VariableOf(key)}");
        }
        return values;
    }

    /// <exception cref="ConfigurationException">Missing, not JSON, or with keys no role has.</exception>
    private static IConfigurationRoot LoadFile(string path, Command role)
    {
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (FileNotFoundException)
        {
            throw new ConfigurationException($"configuration file {path} not found");
        }
        catch (InvalidDataException ex)
        {
            // The innermost exception is the JSON reader's, which says where: "... LineNumber: 2 | BytePositionInLine: 7."
            throw new ConfigurationException($"configuration file {path} is not valid JSON: {ex.GetBaseException().Message}");
        }
        // Top-level keys may belong to either role, so unknown means unknown to all of them.
        var root = role.Parents.OfType<Command>().First();
        var keysByRole = root.Subcommands.Where(c => ConfigurationKeys.Roles.Contains(c.Name)).ToDictionary(
            c => c.Name, c => (IReadOnlySet<string>)Settings(c).Select(ConfigurationKeys.Of).ToHashSet(StringComparer.OrdinalIgnoreCase));
        var problems = ConfigurationKeys.Problems(file, keysByRole);
        if (problems.Count > 0)
        {
            ((IDisposable)file).Dispose();
            throw new ConfigurationException(string.Join('\n', problems.Select(p => $"{path}: {p}")));
        }
        return file;
    }
}
