using System.Diagnostics;
using RingKV.Cli.Commands;

namespace RingKV.Cli.Local;

/// <summary>
/// A <c>ringkv</c> role started as a child process: waits for its ready line, keeps its output (echoed with a
/// name prefix, or buffered for error reports), and can be stopped, killed (SIGKILL) or paused (SIGSTOP).
/// The child exits by itself when this process dies (<c>--parent-pid</c>).
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private const int MaxKeptLines = 2000;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The address a role listens on unless told otherwise (its <c>--bind</c> default).</summary>
    public const string DefaultHost = "127.0.0.1";

    private ManagedProcess(string name, Process process, bool echo, string host)
    {
        Name = name;
        Host = host;
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data, echo);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, echo);
        process.Exited += (_, _) =>
        {
            // Exited can fire before the last redirected lines are delivered; the parameterless wait drains them.
            process.WaitForExit();
            _ready.TrySetException(new InvalidOperationException($"{Name} exited with code {SafeExitCode()} before it was ready:\n{Output}"));
        };
    }

    public string Name { get; }

    public int Pid => _process.Id;

    /// <summary>The port from the ready line.</summary>
    public int Port { get; private set; }

    /// <summary>The HTTP port from the ready line; null when the role serves no HTTP.</summary>
    public int? HttpPort { get; private set; }

    /// <summary>The address it listens on, as given to <see cref="StartAsync"/> (the ready line does not say).</summary>
    public string Host { get; }

    /// <summary><c>host:port</c> to reach it.</summary>
    public string Endpoint => $"{Host}:{Port}";

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (for test failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return string.Join('\n', _output); } }
    }

    /// <summary>Starts <c>ringkv</c> with <paramref name="arguments"/> and waits for its ready line.</summary>
    /// <param name="launcher">
    /// Argv prefix to run ringkv under, e.g. <c>ip netns exec ns</c>; null runs it directly. It must exec ringkv in
    /// place (same pid), or <see cref="Kill"/> and <see cref="Pause"/> would hit the launcher instead.
    /// </param>
    /// <param name="host">What <see cref="Host"/> reports: the address the arguments make it bind.</param>
    /// <param name="environment">Variables to set (a null value removes one) on top of this process' own, e.g. RINGKV_*.</param>
    /// <exception cref="InvalidOperationException">It exited or did not become ready within <paramref name="timeout"/>.</exception>
    public static async Task<ManagedProcess> StartAsync(string name, IEnumerable<string> arguments, bool echo, TimeSpan timeout,
        IReadOnlyList<string>? launcher = null, string host = DefaultHost, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var (fileName, prefix) = SelfInvocation();
        string[] command = [.. launcher ?? [], fileName, .. prefix, .. arguments, "--parent-pid", Environment.ProcessId.ToString()];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(variable);
            }
            else
            {
                info.Environment[variable] = value;
            }
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(name, process, echo, host);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await managed._ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await managed.DisposeAsync();
            throw new InvalidOperationException($"{name} was not ready within {timeout.TotalSeconds:0} s:\n{managed.Output}");
        }
        return managed;
    }

    /// <summary>How to run this same program again: the apphost directly, or <c>dotnet ringkv.dll</c>.</summary>
    private static (string FileName, string[] Prefix) SelfInvocation()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(ManagedProcess).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(host) == "ringkv")
        {
            return (host, []);
        }
        // Under a test runner or `dotnet ringkv.dll` the current process is not ringkv itself.
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, "ringkv");
        return File.Exists(apphost) ? (apphost, []) : ("dotnet", [dll]);
    }

    private void OnLine(string? line, bool echo)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxKeptLines)
            {
                _output.Dequeue();
            }
        }
        if (line.StartsWith(RoleCommands.ReadyPrefix, StringComparison.Ordinal))
        {
            var port = line.Split(' ').FirstOrDefault(p => p.StartsWith("port=", StringComparison.Ordinal));
            Port = port is null ? 0 : int.Parse(port[5..]);
            var http = line.Split(' ').FirstOrDefault(p => p.StartsWith("http=", StringComparison.Ordinal));
            HttpPort = http is null ? null : int.Parse(http[5..]);
            _ready.TrySetResult(line);
        }
        if (echo)
        {
            Console.WriteLine($"[{Name}] {line}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, like a crash or a power cut of the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGSTOP / SIGCONT: the process freezes with its sockets open, like a long GC pause.</summary>
    public void Pause(bool paused) => Signal(paused ? "STOP" : "CONT");

    /// <summary>SIGTERM and wait: a graceful stop.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }
        Signal("TERM");
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString()]);
        kill.WaitForExit();
    }

    private int SafeExitCode()
    {
        try { return _process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Signal("CONT");
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
