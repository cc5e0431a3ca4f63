namespace RingKV.IntegrationTests.TestKit;

/// <summary>Runs the <c>ringkv</c> command line (built next to the tests) as a user would.</summary>
public static class RingKvCli
{
    public static Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments) => RunAsync(null, timeout, arguments);

    /// <param name="environment">Variables to set (a null value removes one) on top of the test process' own.</param>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] arguments)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "ringkv");
        return File.Exists(apphost)
            ? ExternalProcess.RunAsync(apphost, arguments, timeout, environment)
            : ExternalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ringkv.dll"), .. arguments], timeout, environment);
    }
}
