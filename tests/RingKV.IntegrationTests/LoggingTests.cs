using System.Text.Json;
using RingKV.Cli.Commands;
using RingKV.Cli.Local;
using RingKV.IntegrationTests.TestKit;
using RingKV.Net;

namespace RingKV.IntegrationTests;

/// <summary>
/// What a coordinator's log looks like with <c>--log-format</c> and <c>--log-level</c>. Each test makes the
/// coordinator log an Information event (a node registers: a new epoch, event 100) and then a Warning (that node,
/// silent, outlives the removal timeout but cannot leave a ring of too few nodes: event 101). The console logger
/// writes events in order, so once the warning is out everything logged before it is too.
/// </summary>
public sealed class LoggingTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WarningDeadline = TimeSpan.FromSeconds(20);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ringkv-it-logging-" + Guid.NewGuid().ToString("N")[..12]);

    public LoggingTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task JsonFormat_EveryLogLineIsOneJsonObjectWithItsLevel()
    {
        await using var coordinator = await StartCoordinatorAsync("--log-format", "json", "--log-level", "debug");

        var lines = await InformationThenWarningAsync(coordinator, line => line.Contains("\"EventId\":101", StringComparison.Ordinal));

        var events = new List<(int EventId, string Level, string Message)>();
        foreach (var line in lines.Where(line => !line.StartsWith(RoleCommands.ReadyPrefix, StringComparison.Ordinal)))
        {
            using var document = ParseOrFail(line, coordinator);
            var root = document.RootElement;
            Assert.True(root.ValueKind == JsonValueKind.Object, $"not a JSON object: {line}");
            Assert.True(root.TryGetProperty("Timestamp", out _), $"no Timestamp: {line}");
            events.Add((root.GetProperty("EventId").GetInt32(), root.GetProperty("LogLevel").GetString()!, root.GetProperty("Message").GetString()!));
        }
        Assert.Contains(events, e => e is { EventId: 1000, Level: "Debug" } && e.Message.StartsWith("coordinator setting log-format = json (flag)", StringComparison.Ordinal));
        Assert.Contains(events, e => e is { EventId: 100, Level: "Information" } && e.Message.Contains("node-quiet", StringComparison.Ordinal));
        Assert.Contains(events, e => e is { EventId: 101, Level: "Warning" } && e.Message.StartsWith("node node-quiet is DOWN", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith(RoleCommands.ReadyPrefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("information", true)]
    [InlineData("warning", false)]
    public async Task TextFormat_LogLevelDecidesWhetherInformationLinesAppear(string level, bool informationShown)
    {
        await using var coordinator = await StartCoordinatorAsync("--log-level", level);

        var lines = await InformationThenWarningAsync(coordinator, line => line.Contains(" warn: coordinator[101] node node-quiet is DOWN", StringComparison.Ordinal));

        var information = lines.Where(line => line.Contains(" info: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(informationShown, information.Any(line => line.Contains(" info: coordinator[100] epoch ", StringComparison.Ordinal)));
        if (!informationShown)
        {
            Assert.True(information.Count == 0, "information lines at --log-level warning:\n" + string.Join('\n', information));
        }
        Assert.DoesNotContain(lines, line => line.Contains(" dbug: ", StringComparison.Ordinal));
    }

    private async Task<ManagedProcess> StartCoordinatorAsync(params string[] logging)
    {
        // RINGKV_* variables of the test run (CI sets some) stay out: the log must show what the flags asked for.
        return await ManagedProcess.StartAsync("coordinator",
            ["coordinator", "--port", "0", "--data-dir", Path.Combine(_directory, "coordinator"), "--http-port", "off",
             "--failure-timeout", "300ms", "--removal-timeout", "600ms", .. logging],
            echo: false, StartTimeout, environment: RoleEnvironment.Only());
    }

    /// <summary>Registers a node that never heartbeats and waits for the warning; returns every line printed until then.</summary>
    private static async Task<string[]> InformationThenWarningAsync(ManagedProcess coordinator, Func<string, bool> isWarning)
    {
        await using (var connection = await RespConnection.ConnectAsync("127.0.0.1", coordinator.Port, TimeSpan.FromSeconds(5)))
        {
            var reply = await connection.ExecuteAsync("REGISTER_NODE", "node-quiet", "127.0.0.1", "9");
            Assert.False(reply.IsError, reply.ToString());
        }
        string[] lines = [];
        await Eventually.TrueAsync(() =>
            {
                lines = coordinator.Output.Split('\n');
                return Task.FromResult(lines.Any(isWarning));
            },
            WarningDeadline, "the coordinator logged that node-quiet stays in the ring", () => coordinator.Output);
        return lines;
    }

    private static JsonDocument ParseOrFail(string line, ManagedProcess coordinator)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"not JSON ({ex.Message}): {line}\n--- output ---\n{coordinator.Output}");
        }
    }
}
