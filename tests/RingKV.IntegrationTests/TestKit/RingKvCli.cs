namespace RingKV.IntegrationTests.TestKit;

/// <summary>Runs the <c>ringkv</c> command line (built next to the tests) as a user would.</summary>
public static class RingKvCli
{
    public static Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "ringkv");
        return File.Exists(apphost)
            ? ExternalProcess.RunAsync(apphost, arguments, timeout)
            : ExternalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ringkv.dll"), .. arguments], timeout);
    }
}
