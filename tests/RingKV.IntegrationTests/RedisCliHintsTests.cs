using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using RingKV.IntegrationTests.TestKit;
using RingKV.Protocol.Commands;
using Xunit.Sdk;

namespace RingKV.IntegrationTests;

/// <summary>
/// redis-cli 7 builds its interactive hints and <c>HELP</c> from COMMAND DOCS (redis-cli.c <c>cliInitHelp</c>), and
/// asserts on the reply's shape while doing so: these tests run the real redis-cli against RingKV and look at what a
/// user sees.
/// </summary>
public sealed class RedisCliHintsTests(SharedCluster shared) : IClassFixture<SharedCluster>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private ClusterFixture Cluster => shared.Fixture;

    [Fact]
    public async Task InteractiveRedisCli_TypingSet_ShowsHintFromCommandDocs_AndHelpWorks()
    {
        await RequireAsync("script", "util-linux");
        await RequireAsync("redis-cli", "redis-tools");
        var port = Cluster.Nodes[0].Port;
        var prompt = $"127.0.0.1:{port}> ";

        await Cluster.VerifyAsync(async () =>
        {
            await using var cli = Terminal.Start(port);
            await cli.WaitForAsync(prompt, "the first prompt");

            // linenoise redraws the line after every key with the hint in grey (ESC[0;90;49m) after the cursor; the
            // words already typed are cut off the front of the hint, leaving the options.
            cli.Type("SET hints:k v ");
            await cli.WaitForAsync(new Regex(@"SET hints:k v \x1b\[[0-9;]*m\[NX\|XX\] \[GET\] \[EX seconds\|PX milliseconds"),
                "the SET hint after the typed arguments");
            cli.Type("\r");
            // A reply slower than 500 ms is followed by its time, "(0.64s)", before the prompt.
            await cli.WaitForAsync(new Regex("\r\nOK\r\n(.|\n)*?" + Regex.Escape(prompt)), "OK for SET and the next prompt");

            cli.Type("COMMAND DOCS GET\r");
            await cli.WaitForAsync(new Regex("key_spec_index(.|\n)*" + Regex.Escape(prompt)), "the COMMAND DOCS GET reply");

            cli.Type("HELP SET\r");
            var summary = CommandCatalog.Find(CommandRoles.Node, "set")!.Summary;
            await cli.WaitForAsync(new Regex(@"summary:\x1b\[0m " + Regex.Escape(summary) + "(.|\n)*" + Regex.Escape(prompt)),
                "HELP SET with our summary");

            cli.Type("quit\r");
            var exitCode = await cli.WaitForExitAsync();

            Assert.True(exitCode == 0, $"redis-cli exited with {exitCode}:\n{cli.Transcript}");
            Assert.DoesNotContain("(error)", cli.Transcript, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RedisCliHelp_OnTheCoordinator_DescribesItsOwnCommands()
    {
        await RequireAsync("redis-cli", "redis-tools");
        var port = Cluster.CoordinatorEndpoint.Split(':')[^1];

        await Cluster.VerifyAsync(async () =>
        {
            // Non-interactive HELP also loads COMMAND DOCS first: an unparsable reply would abort redis-cli here.
            var help = await ExternalProcess.RunAsync("redis-cli", ["-p", port, "HELP", "DECOMMISSION"], Deadline);

            Assert.True(help.ExitCode == 0 && help.StandardOutput.Contains("DECOMMISSION", StringComparison.Ordinal)
                && help.StandardOutput.Contains("node-id", StringComparison.Ordinal), $"redis-cli HELP DECOMMISSION: {help}");
        });
    }

    [Theory]
    [InlineData("-2")]
    [InlineData("-3")]
    public async Task RedisCli_CommandInfoAndDocs_NoErrorInEitherProtocol(string protocol)
    {
        await RequireAsync("redis-cli", "redis-tools");
        var port = Cluster.Nodes[1].Port.ToString();

        await Cluster.VerifyAsync(async () =>
        {
            string[][] commands = [["COMMAND", "INFO", "get", "set"], ["COMMAND", "DOCS", "set"], ["COMMAND", "COUNT"]];
            foreach (var command in commands)
            {
                var result = await ExternalProcess.RunAsync("redis-cli", ["--no-raw", protocol, "-p", port, .. command], Deadline);
                Assert.True(result.ExitCode == 0 && !result.StandardOutput.Contains("(error)", StringComparison.Ordinal),
                    $"redis-cli {protocol} {string.Join(' ', command)}: {result}");
            }
        });
    }

    private static async Task RequireAsync(string program, string package)
    {
        var which = await ExternalProcess.RunAsync("which", [program], Deadline);
        Assert.True(which.ExitCode == 0, $"{program} is not on PATH (install {package}): {which}");
    }

    /// <summary>
    /// redis-cli under a pseudo-terminal (util-linux <c>script</c>), so that it runs its interactive line editor. Keys
    /// are sent only after the prompt is seen: linenoise flushes pending input when it enters raw mode.
    /// </summary>
    private sealed class Terminal : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _transcript = new();
        private readonly Task _reader;
        private int _consumed;

        private Terminal(Process process)
        {
            _process = process;
            _reader = Task.Run(ReadAsync);
        }

        /// <summary>Everything redis-cli printed so far, escape sequences included.</summary>
        public string Transcript
        {
            get { lock (_transcript) { return _transcript.ToString(); } }
        }

        public static Terminal Start(int port)
        {
            var info = new ProcessStartInfo("script")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardInputEncoding = new UTF8Encoding(false),
            };
            // A wide terminal keeps the line and its hint on one row; no history or rc file of the machine's user.
            info.ArgumentList.Add("-qec");
            info.ArgumentList.Add($"stty cols 250 rows 50; exec redis-cli -h 127.0.0.1 -p {port}");
            info.ArgumentList.Add("/dev/null");
            info.Environment["TERM"] = "xterm";
            info.Environment["REDISCLI_HISTFILE"] = "/dev/null";
            info.Environment["REDISCLI_RCFILE"] = "/dev/null";
            return new Terminal(Process.Start(info) ?? throw new XunitException("could not start script"));
        }

        public void Type(string keys)
        {
            _process.StandardInput.Write(keys);
            _process.StandardInput.Flush();
        }

        public Task WaitForAsync(string text, string what) => WaitForAsync(new Regex(Regex.Escape(text)), what);

        /// <summary>Waits until the output after the previous match matches <paramref name="pattern"/>, then moves past it.</summary>
        public async Task WaitForAsync(Regex pattern, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < Deadline)
            {
                var text = Transcript;
                var match = pattern.Match(text, _consumed);
                if (match.Success)
                {
                    _consumed = match.Index + match.Length;
                    return;
                }
                if (_process.HasExited && _reader.IsCompleted)
                {
                    break;
                }
                await Task.Delay(20);
            }
            throw new XunitException($"redis-cli did not show {what} within {Deadline.TotalSeconds:0} s. Terminal:\n{Printable(Transcript)}");
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new XunitException($"redis-cli did not exit after quit. Terminal:\n{Printable(Transcript)}");
            }
            await _reader;
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private async Task ReadAsync()
        {
            var decoder = Encoding.UTF8.GetDecoder();
            var bytes = new byte[4096];
            var chars = new char[4096 + 4];
            var stream = _process.StandardOutput.BaseStream;
            int read;
            while ((read = await stream.ReadAsync(bytes)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0);
                lock (_transcript) { _transcript.Append(chars, 0, count); }
            }
        }

        private static string Printable(string text) =>
            Regex.Replace(text, @"[\x00-\x09\x0b-\x1f]", m => $"\\x{(int)m.Value[0]:x2}");
    }
}
