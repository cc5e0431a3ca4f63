using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RingKV.Cli.Hosting;

/// <summary>
/// When a role process should stop: Ctrl+C, SIGTERM, or the death of the parent that started it
/// (<c>--parent-pid</c>, used by <c>cluster up</c>, the demo and the tests so no orphan outlives them).
/// </summary>
public static class ProcessLifetime
{
    public static CancellationToken Create(int? parentPid)
    {
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        // The handler object must stay alive for the process lifetime; a static field holds it.
        s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        if (parentPid is { } pid)
        {
            _ = WatchParentAsync(pid, stop);
        }
        return stop.Token;
    }

    private static PosixSignalRegistration? s_sigterm;

    private static async Task WatchParentAsync(int pid, CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync())
        {
            if (!IsAlive(pid))
            {
                await stop.CancelAsync();
                return;
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
