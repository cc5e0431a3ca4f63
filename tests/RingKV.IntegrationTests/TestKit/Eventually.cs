using System.Diagnostics;
using Xunit.Sdk;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>
/// Polls a condition until it holds or a deadline passes: the only way tests wait for the cluster to converge
/// (no fixed sleeps). An exception thrown by the condition counts as "not yet" (a restarting process refuses
/// connections for a while); the last one is quoted if the deadline passes.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <param name="because">Completes "timed out waiting until …".</param>
    /// <param name="state">Describes the current state for the failure message (called once, on timeout).</param>
    /// <returns>How long the condition took to hold.</returns>
    /// <exception cref="XunitException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because, Func<string>? state = null)
    {
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        Exception? lastError = null;
        while (true)
        {
            attempts++;
            try
            {
                if (await condition())
                {
                    return watch.Elapsed;
                }
                lastError = null;
            }
            catch (Exception ex) when (ex is not XunitException)
            {
                lastError = ex;
            }
            if (watch.Elapsed >= timeout)
            {
                var message = $"Timed out after {watch.Elapsed.TotalSeconds:0.0} s ({attempts} attempts) waiting until {because}.";
                if (state is not null)
                {
                    message += " State: " + state();
                }
                if (lastError is not null)
                {
                    message += $" Last attempt threw {lastError.GetType().Name}: {lastError.Message}";
                }
                throw new XunitException(message);
            }
            await Task.Delay(PollInterval);
        }
    }
}
