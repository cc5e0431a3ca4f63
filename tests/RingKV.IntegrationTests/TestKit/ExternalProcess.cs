using System.Diagnostics;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>Runs a program to completion with a deadline and captures its output (redis-cli, which).</summary>
public static class ExternalProcess
{
    /// <param name="environment">Variables to set (a null value removes one) on top of the test process' own.</param>
    /// <exception cref="XunitException">The program did not exit within <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
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
        using var process = Process.Start(info) ?? throw new XunitException($"could not start {fileName}");
        // EOF on stdin at once: a program that unexpectedly waits for input fails instead of hanging until the deadline.
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException($"{fileName} {string.Join(' ', info.ArgumentList)} did not exit within {timeout.TotalSeconds:0} s");
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
