using System.Text.Json;
using RingKV.Cli.Commands;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;

namespace RingKV.IntegrationTests;

/// <summary>
/// The roles' layered configuration as a user meets it: defaults &lt; file &lt; RINGKV_* variables &lt; flags, seen through
/// <c>ringkv config show</c> and through what a running coordinator does.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ringkv-it-config-" + Guid.NewGuid().ToString("N")[..12]);

    public ConfigurationTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ConfigShow_NothingConfigured_ListsEveryCoordinatorOptionWithItsDefault()
    {
        var shown = await ShowAsync(RoleEnvironment.Only(), "--role", "coordinator");

        string[] expected = ["port", "bind", "data-dir", "failure-timeout", "removal-timeout", "replication-factor", "vnodes", "peers", "http-port",
            "proto-max-bulk-len", "proto-max-multibulk-len", "proto-inline-max-size", "client-query-buffer-limit", "client-output-buffer-limit",
            "maxclients", "timeout", "max-pattern-len", "config", "log-level", "log-format", "verbose", "requirepass", "cluster-secret", "protected-mode",
            "tls-cert-file", "tls-key-file", "tls-ca-cert-file"];
        Assert.Equal(expected, shown.Keys);
        Assert.All(shown.Values, setting => Assert.Equal("default", setting.Source));
        Assert.Equal("5000", shown["port"].Value);
        Assert.Equal("10s", shown["failure-timeout"].Value);
        Assert.Equal("information", shown["log-level"].Value);
        Assert.Null(shown["http-port"].Value);
    }

    [Fact]
    public async Task ConfigShow_FileValues_TopLevelForEveryRoleAndSectionsForTheirRole()
    {
        var file = WriteConfig("""
            { "bind": "127.0.0.2", "replication-factor": 2,
              "node": { "storage": "memory", "bind": "127.0.0.3" },
              "coordinator": { "failure-timeout": "5s" } }
            """);

        var node = await ShowAsync(RoleEnvironment.Only(), "--role", "node", "--config", file);
        var coordinator = await ShowAsync(RoleEnvironment.Only(), "--role", "coordinator", "--config", file);

        Assert.Equal(("memory", $"file {file}"), node["storage"]);
        Assert.Equal(("127.0.0.3", $"file {file}"), node["bind"]);
        Assert.Equal(("everysec", "default"), node["fsync"]);
        Assert.Equal(("5s", $"file {file}"), coordinator["failure-timeout"]);
        Assert.Equal(("127.0.0.2", $"file {file}"), coordinator["bind"]);
        Assert.Equal(("2", $"file {file}"), coordinator["replication-factor"]);
        Assert.Equal((file, "flag"), coordinator["config"]);
    }

    [Fact]
    public async Task ConfigShow_VariableOverridesFileAndFlagOverridesVariable()
    {
        var file = WriteConfig("""{ "port": 6000, "node": { "storage": "memory", "fsync": "always" } }""");
        var variables = RoleEnvironment.Only(("RINGKV_CONFIG", file), ("RINGKV_FSYNC", "no"), ("RINGKV_PORT", "6001"), ("RINGKV_DATA_DIR", "/srv/ringkv"));

        var shown = await ShowAsync(variables, "--role", "node", "--port", "6002");

        Assert.Equal(("memory", $"file {file}"), shown["storage"]);
        Assert.Equal(("no", "env RINGKV_FSYNC"), shown["fsync"]);
        Assert.Equal(("/srv/ringkv", "env RINGKV_DATA_DIR"), shown["data-dir"]);
        Assert.Equal(("6002", "flag"), shown["port"]);
        Assert.Equal((file, "env RINGKV_CONFIG"), shown["config"]);
    }

    [Fact]
    public async Task ConfigShow_VariablesOfNoSetting_AreListedAsIgnored()
    {
        var shown = await ShowAsync(RoleEnvironment.Only(("RINGKV_REQUIRE_NODE", "1"), ("RINGKV_STORAGE", "memory")), "--role", "coordinator");

        Assert.Equal(("1", "ignored"), shown["RINGKV_REQUIRE_NODE"]);
        // storage is a node setting: for the coordinator the variable is ignored, not an error.
        Assert.Equal(("memory", "ignored"), shown["RINGKV_STORAGE"]);
        Assert.DoesNotContain("storage", shown.Keys);
    }

    [Fact]
    public async Task Coordinator_UsesFailureTimeoutFromFileAndHttpPortFromVariable()
    {
        var file = WriteConfig("""{ "coordinator": { "failure-timeout": "7s" } }""");
        var variables = RoleEnvironment.Only(("RINGKV_HTTP_PORT", "off"), ("RINGKV_REQUIRE_NODE", "1"), ("RINGKV_REQUIRE_NETNS", "1"));

        var ready = await ReadyLineAsync(variables, "coordinator", "--port", "0", "--data-dir", Path.Combine(_directory, "coordinator"), "--config", file);

        Assert.Contains(" failure-timeout=7s", ready, StringComparison.Ordinal);
        Assert.DoesNotContain(" http=", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coordinator_FlagBeatsVariableBeatsFile()
    {
        var file = WriteConfig("""{ "failure-timeout": "7s", "http-port": "off" }""");
        var variables = RoleEnvironment.Only(("RINGKV_CONFIG", file), ("RINGKV_FAILURE_TIMEOUT", "9s"), ("RINGKV_HTTP_PORT", "0"));

        var ready = await ReadyLineAsync(variables, "coordinator", "--port", "0", "--data-dir", Path.Combine(_directory, "coordinator"),
            "--failure-timeout", "3s");

        Assert.Contains(" failure-timeout=3s", ready, StringComparison.Ordinal);
        Assert.Contains(" http=", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKeyInFile_ExitsWith2NamingTheKeyAndAMatch()
    {
        var file = WriteConfig("""{ "coordinator": { "failure-timout": "5s" } }""");

        var result = await RunRoleAsync(RoleEnvironment.Only(), "coordinator", "--config", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(file, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("'failure-timout'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("did you mean failure-timeout", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJson_ExitsWith2NamingTheFile()
    {
        var file = WriteConfig("""{ "port": 5001, """);

        var result = await RunRoleAsync(RoleEnvironment.Only(), "node", "--config", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{file} is not valid JSON", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFileNamedByVariable_ExitsWith2()
    {
        var missing = Path.Combine(_directory, "absent.json");

        var result = await RunRoleAsync(RoleEnvironment.Only(("RINGKV_CONFIG", missing)), "coordinator");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{missing} not found", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValueFromVariable_FailsWithTheFlagsErrorAndTheVariableName()
    {
        var result = await RunRoleAsync(RoleEnvironment.Only(("RINGKV_STORAGE", "floppy")), "node", "--coordinator", "127.0.0.1:1");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("RINGKV_STORAGE", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("'floppy'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(RoleCommands.ReadyPrefix, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValueFromFile_FailsNamingKeyAndFile()
    {
        var file = WriteConfig("""{ "coordinator": { "failure-timeout": "soon" } }""");

        var result = await RunRoleAsync(RoleEnvironment.Only(), "coordinator", "--config", file);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"failure-timeout from file {file}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("'soon' is not a duration", result.StandardError, StringComparison.Ordinal);
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_directory, $"ringkv-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary><c>config show --json</c>, as key → (value, source) in the order printed.</summary>
    private static async Task<OrderedDictionary<string, (string? Value, string Source)>> ShowAsync(Dictionary<string, string?> variables, params string[] arguments)
    {
        var result = await RingKvCli.RunAsync(variables, CliTimeout, ["config", "show", "--json", .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.StandardOutput);
        var shown = new OrderedDictionary<string, (string? Value, string Source)>();
        foreach (var setting in document.RootElement.EnumerateObject())
        {
            shown.Add(setting.Name, (setting.Value.GetProperty("value").GetString(), setting.Value.GetProperty("source").GetString()!));
        }
        return shown;
    }

    /// <summary>Runs a role that is expected to refuse its configuration; one that starts instead fails on the deadline.</summary>
    private Task<ProcessResult> RunRoleAsync(Dictionary<string, string?> variables, params string[] arguments) =>
        RingKvCli.RunAsync(variables, CliTimeout, [.. arguments, "--port", "0", "--data-dir", Path.Combine(_directory, "data")]);

    private static async Task<string> ReadyLineAsync(Dictionary<string, string?> variables, params string[] arguments)
    {
        await using var role = await ManagedProcess.StartAsync(arguments[0], arguments, echo: false, StartTimeout, environment: variables);
        return role.Output.Split('\n').Single(line => line.StartsWith(RoleCommands.ReadyPrefix, StringComparison.Ordinal));
    }
}
