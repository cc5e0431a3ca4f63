using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RingKV.Net;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// A real redis-server on a free loopback port, started once per test class (<c>IClassFixture&lt;LocalRedisServer&gt;</c>)
/// so compatibility tests compare RingKV's replies with Redis' own instead of with texts copied by hand.
/// </summary>
/// <remarks>
/// When redis-server is not installed, <see cref="IsAvailable"/> is false and tests fall back to the literal Redis
/// 7.0 texts they carry (and say so in their output). The server runs with no persistence, and under coreutils'
/// <c>timeout</c> when present, so a test host that dies without disposing cannot leave it running for long.
/// </remarks>
public sealed class LocalRedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private Process? _process;

    /// <summary>True once redis-server answered PING.</summary>
    public bool IsAvailable => _process is not null;

    public int Port { get; private set; }

    /// <summary>Why the server is not available (not installed, failed to start), for test output.</summary>
    public string? Problem { get; private set; }

    /// <summary>redis-server --version, for test output.</summary>
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = FindOnPath("redis-server");
        if (server is null)
        {
            Problem = "redis-server is not on PATH";
            return;
        }
        Port = FreePort();
        var timeout = FindOnPath("timeout");
        var info = new ProcessStartInfo(timeout ?? server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (timeout is not null)
        {
            info.ArgumentList.Add("--signal=KILL");
            info.ArgumentList.Add("900");
            info.ArgumentList.Add(server);
        }
        foreach (var argument in (string[])["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info);
        if (process is null)
        {
            Problem = "redis-server did not start";
            return;
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout && !process.HasExited)
        {
            try
            {
                await using var connection = await ConnectAsync();
                var serverInfo = await connection.ExecuteAsync("INFO", "server");
                Version = serverInfo.AsString()?.Split('\n').FirstOrDefault(l => l.StartsWith("redis_version:", StringComparison.Ordinal))?.Trim() ?? "";
                _process = process;
                return;
            }
            catch (RespConnectionException)
            {
                await Task.Delay(50);
            }
        }
        Problem = $"redis-server did not answer within {StartTimeout.TotalSeconds:0} s";
        Stop(process);
    }

    /// <summary>A new connection to the server (callers dispose it).</summary>
    /// <exception cref="RespConnectionException">The server is not reachable.</exception>
    public Task<RespConnection> ConnectAsync() => RespConnection.ConnectAsync("127.0.0.1", Port, TimeSpan.FromSeconds(2));

    public Task DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
        }
        return Task.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The full path of <paramref name="program"/> in a PATH directory, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
