using System.Diagnostics;
using System.Text;
using RingKV.Storage.RocksDb.CrashWriter;

namespace RingKV.Storage.RocksDb.Tests;

/// <summary>
/// A running RingKV.Storage.RocksDb.CrashWriter child process (built next to the tests) and the lines it printed.
/// Its standard input stays open until <see cref="CloseInputAndWait"/> or <see cref="Dispose"/>, and it exits when
/// that input closes, so it never outlives the test. Thread-safe.
/// </summary>
public sealed class CrashWriterProcess : IDisposable
{
    private readonly Process _process;
    // A plain object, not a Lock: WaitUntil sleeps on it with Monitor.Wait and Record wakes it with PulseAll.
    private readonly object _lock = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();

    private CrashWriterProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Lines printed so far on standard output.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>What the child printed (standard output's last lines, then standard error), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return $"exit: {(_process.HasExited ? _process.ExitCode.ToString() : "running")}\n" +
                       $"stdout (last 20 of {_lines.Count}):\n{string.Join('\n', _lines.TakeLast(20))}\nstderr:\n{_errors}";
            }
        }
    }

    public static CrashWriterProcess Start(string directory, FsyncPolicy fsync, int count)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{typeof(CrashRecords).Assembly.GetName().Name}.dll"));
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(fsync.Name());
        start.ArgumentList.Add(count.ToString());

        var child = new CrashWriterProcess(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => child.Record(e.Data, error: false);
        child._process.ErrorDataReceived += (_, e) => child.Record(e.Data, error: true);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the printed lines satisfy <paramref name="condition"/>; fails with the child's output if not.</summary>
    public void WaitUntil(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (!condition(_lines))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _process.HasExited)
                {
                    Assert.Fail($"The crash writer did not print {what} within {timeout}.\n{Output}");
                }

                // Woken by every printed line; the timeout only bounds the wait for a silent child.
                Monitor.Wait(_lock, TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, 200)));
            }
        }
    }

    public void WaitForLine(string line, TimeSpan timeout) => WaitUntil(lines => lines.Contains(line), timeout, $"'{line}'");

    /// <summary>SIGKILLs the child (no cleanup runs in it) and waits until it is gone and its output is read.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Closes the child's standard input, which makes it close its engine and exit.</summary>
    public void CloseInputAndWait(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(timeout))
        {
            Assert.Fail($"The crash writer did not exit within {timeout} after its input closed.\n{Output}");
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Record(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            if (error)
            {
                _errors.AppendLine(line);
            }
            else
            {
                _lines.Add(line);
            }

            Monitor.PulseAll(_lock);
        }
    }
}
