using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// A throwaway redis-server on a free loopback port, without persistence, in its own temporary directory: the
/// reference the differential tests compare RingKV with.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> returns once the server answers PING. Disposing kills it (SIGKILL: nothing is worth
/// saving) and deletes the directory. The server does not watch its parent: a test host that crashes leaves it
/// running until the machine's next cleanup, which is harmless (it holds no data and only a loopback port).
/// </remarks>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output;

    private RedisServerProcess(Process process, int port, string directory, StringBuilder output)
    {
        _process = process;
        Port = port;
        _directory = directory;
        _output = output;
    }

    public int Port { get; }

    /// <summary>What the server printed so far (its log goes to stdout), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts redis-server and waits until it answers PING.</summary>
    /// <exception cref="XunitException">redis-server is not installed, exited, or did not answer within 15 s.</exception>
    public static async Task<RedisServerProcess> StartAsync()
    {
        var executable = Locate() ?? throw new XunitException(
            "redis-server was not found on PATH nor in /usr/bin: install redis-server (apt-get install redis-server; .ci/run does).");
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(executable, FreePort());
            try
            {
                await server.WaitUntilReadyAsync();
                return server;
            }
            catch (XunitException) when (attempt < StartAttempts && server._process.HasExited)
            {
                // The free port was taken between choosing it and redis binding it: try another one.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static string? Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static RedisServerProcess Launch(string executable, int port)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ringkv-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // `--save ""` and `--appendonly no`: no file is ever written. `--databases 1` models RingKV's single keyspace
        // (SELECT 1 is an error on both sides rather than a second keyspace only Redis has).
        string[] arguments =
        [
            "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory,
            "--databases", "1", "--daemonize", "no",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        void Capture(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                if (e.Data is not null && output.Length < MaxOutputChars)
                {
                    output.AppendLine(e.Data);
                }
            }
        }
        process.OutputDataReceived += Capture;
        process.ErrorDataReceived += Capture;
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RedisServerProcess(process, port, directory, output);
    }

    private async Task WaitUntilReadyAsync()
    {
        var watch = Stopwatch.StartNew();
        string last = "no attempt yet";
        while (watch.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new XunitException($"redis-server on port {Port} exited with code {_process.ExitCode} before answering PING:\n{Output}");
            }
            try
            {
                await using var connection = await RespFrameConnection.ConnectAsync(Port, PingTimeout);
                var reply = await connection.ExecuteAsync([Encoding.ASCII.GetBytes("PING")]);
                if (reply.Raw.AsSpan().SequenceEqual("+PONG\r\n"u8))
                {
                    return;
                }
                // -LOADING while the (empty) dataset loads: not ready yet.
                last = "PING answered " + reply;
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or OperationCanceledException or FormatException)
            {
                last = $"{ex.GetType().Name}: {ex.Message}";
            }
            await Task.Delay(PollInterval);
        }
        throw new XunitException($"redis-server on port {Port} did not answer PING within {ReadyTimeout.TotalSeconds:0} s (last: {last}):\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var deadline = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck in the kernel: either way there is nothing more a test can do about it.
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover empty temp directory must not fail the test that used the server.
            }
        }
    }
}
