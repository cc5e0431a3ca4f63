using System.ComponentModel;
using System.Diagnostics;

namespace RingKV.Nemesis;

/// <summary>
/// Runs iproute2's <c>ip</c> with a deadline. Every failure becomes an <see cref="IpCommandException"/> that quotes
/// the command and its stderr, because "RTNETLINK answers: File exists" means nothing without the command.
/// </summary>
internal static class IpCommand
{
    /// <summary>Far above what any <c>ip</c> call takes (milliseconds), short enough that a hung call fails a test.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <returns>The command's stdout.</returns>
    /// <exception cref="IpCommandException">It could not start, exited non-zero, or ran past <see cref="Timeout"/> (it is killed).</exception>
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        using var process = Start(arguments, out var commandLine);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException ex)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new IpCommandException(commandLine, null, $"no exit within {Timeout.TotalSeconds:0} s", ex);
        }
        return Finish(process, commandLine, await output, await error);
    }

    /// <inheritdoc cref="RunAsync"/>
    public static string Run(IReadOnlyList<string> arguments)
    {
        using var process = Start(arguments, out var commandLine);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (!process.WaitForExit(Timeout))
        {
            Kill(process);
            throw new IpCommandException(commandLine, null, $"no exit within {Timeout.TotalSeconds:0} s");
        }
        return Finish(process, commandLine, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    private static Process Start(IReadOnlyList<string> arguments, out string commandLine)
    {
        commandLine = "ip " + string.Join(' ', arguments);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Error texts are matched (e.g. "Cannot find device" during cleanup); keep them untranslated.
        info.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(info) ?? throw new IpCommandException(commandLine, null, "the process did not start");
        }
        catch (Win32Exception ex)
        {
            throw new IpCommandException(commandLine, null, "cannot run ip (is iproute2 installed?): " + ex.Message, ex);
        }
    }

    private static string Finish(Process process, string commandLine, string output, string error) =>
        process.ExitCode == 0 ? output : throw new IpCommandException(commandLine, process.ExitCode, error);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
    }
}
