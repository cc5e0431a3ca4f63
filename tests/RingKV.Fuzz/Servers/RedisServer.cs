using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RingKV.Fuzz.Servers;

/// <summary>
/// A throwaway redis-server on a free loopback port, without persistence and with one database (RingKV's single
/// keyspace): the reference of the differential target. Killed (SIGKILL) on dispose; run under coreutils' <c>timeout</c>
/// when present, so a fuzzer that dies without disposing cannot leave it running for long.
/// </summary>
internal sealed class RedisServer : IServerUnderTest, IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public string Name => "redis";

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>The full path of <paramref name="program"/> on PATH (or in /usr/bin), or null.</summary>
    public static string? Locate(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <param name="lifetime">Upper bound of the server's life, enforced by <c>timeout</c>.</param>
    /// <exception cref="InvalidOperationException">redis-server is not installed or did not answer PING in time.</exception>
    public static async Task<RedisServer> StartAsync(TimeSpan lifetime)
    {
        var executable = Locate("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run does)");
        var port = FreePort();
        var timeout = Locate("timeout");
        var info = new ProcessStartInfo(timeout ?? executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (timeout is not null)
        {
            foreach (var argument in (string[])["--signal=KILL", ((int)lifetime.TotalSeconds + 60).ToString(), executable])
            {
                info.ArgumentList.Add(argument);
            }
        }
        // No --dir: with --save "" and --appendonly no nothing is ever written.
        foreach (var argument in (string[])["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "1", "--daemonize", "no"])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        var server = new RedisServer(process, port);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout && !process.HasExited)
        {
            try
            {
                await using var connection = await ServerConnection.ConnectAsync(port);
                connection.Send("*1\r\n$4\r\nPING\r\n"u8.ToArray());
                if ((await connection.ReadFrameAsync(TimeSpan.FromSeconds(1)))?.Raw is [(byte)'+', (byte)'P', ..])
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"redis-server on port {port} did not answer PING within {ReadyTimeout.TotalSeconds:0} s:\n{server.Output}");
    }

    private void Capture(string? line)
    {
        lock (_output)
        {
            if (line is not null && _output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }
}
