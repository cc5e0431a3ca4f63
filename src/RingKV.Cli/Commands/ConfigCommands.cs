using System.CommandLine;
using System.Text.Json;
using RingKV.Cli.Hosting;
using Spectre.Console;

namespace RingKV.Cli.Commands;

/// <summary><c>ringkv config show</c>: a role's settings as it would run, and where each one comes from.</summary>
public static class ConfigCommands
{
    public static Command Config()
    {
        var role = new Option<string>("--role") { Description = "The role to show", DefaultValueFactory = _ => "node", HelpName = "node|coordinator" };
        role.AcceptOnlyFromAmong([.. ConfigurationKeys.Roles]);
        var json = new Option<bool>("--json") { Description = "One JSON object {key: {value, source}} instead of a table" };
        var show = new Command("show", """
            Print a role's effective configuration: every key, its value and its source (default, file PATH, env RINGKV_X, flag).
            Flags of the role may follow, as they would on its own command line: ringkv config show --role node --port 7000
            """)
        {
            role, ConfigurationLayers.FileOption, json,
        };
        // What show does not know are the role's own flags; they are parsed below, as the role would parse them.
        show.TreatUnmatchedTokensAsErrors = false;
        show.SetAction(result =>
        {
            var root = result.RootCommandResult.Command;
            var roleCommand = root.Subcommands.Single(c => c.Name == result.GetValue(role));
            var file = result.GetValue(ConfigurationLayers.FileOption);
            var typed = root.Parse([roleCommand.Name, .. result.UnmatchedTokens, .. file is null ? [] : new[] { "--config", file }], result.Configuration);
            if (typed.Errors.Count > 0)
            {
                // A mistyped flag: the exit code System.CommandLine gives any usage error.
                foreach (var error in typed.Errors)
                {
                    Console.Error.WriteLine($"error: {error.Message}");
                }
                return 1;
            }
            if (ConfigurationLayers.TryApply(typed, Environment.GetEnvironmentVariables()) is not { } configuration)
            {
                return ConfigurationLayers.InvalidConfiguration;
            }
            if (result.GetValue(json))
            {
                PrintJson(configuration);
            }
            else
            {
                PrintTable(configuration);
            }
            return 0;
        });
        return new Command("config", "Inspect the roles' layered configuration: defaults < file < RINGKV_* variables < flags (docs/configuration.md)")
        {
            show,
        };
    }

    private static void PrintTable(RoleConfiguration configuration)
    {
        var table = new Table().AddColumns("key", "value", "source");
        foreach (var value in configuration.Values())
        {
            table.AddRow(Markup.Escape(value.Key), value.Value is null ? "[grey](unset)[/]" : Markup.Escape(value.Value), Markup.Escape(value.Source));
        }
        foreach (var (variable, text) in configuration.IgnoredVariables)
        {
            table.AddRow($"[grey]{Markup.Escape(variable)}[/]", $"[grey]{Markup.Escape(text)}[/]", $"[grey]ignored (not a {configuration.Role} setting)[/]");
        }
        AnsiConsole.Write(table);
    }

    // Values stay text, as a flag, a variable or the file would write them; null is an unset option.
    private static void PrintJson(RoleConfiguration configuration)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var value in configuration.Values())
            {
                Write(writer, value.Key, value.Value, value.Source);
            }
            foreach (var (variable, text) in configuration.IgnoredVariables)
            {
                Write(writer, variable, text, "ignored");
            }
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    private static void Write(Utf8JsonWriter writer, string key, string? value, string source)
    {
        writer.WriteStartObject(key);
        writer.WriteString("value", value);
        writer.WriteString("source", source);
        writer.WriteEndObject();
    }
}
