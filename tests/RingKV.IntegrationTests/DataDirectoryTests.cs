using System.Text.RegularExpressions;
using RingKV.Cli.Local;

namespace RingKV.IntegrationTests;

/// <summary>A node only ever opens a directory that is empty, new, or marked as its own RingKV data directory.</summary>
public sealed partial class DataDirectoryTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ForeignDataDirectory_NodeRefusesToStart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ringkv-it-foreign-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            var someoneElses = Path.Combine(directory, "thesis.txt");
            await File.WriteAllTextAsync(someoneElses, "not a database");

            ManagedProcess? started = null;
            InvalidOperationException? refusal = null;
            try
            {
                // Storage opens before the node contacts the coordinator, so an address where nothing listens is fine:
                // a node that wrongly accepted the directory would print its ready line after the registration timeout.
                started = await ManagedProcess.StartAsync("node-foreign",
                    ["node", "--id", "node-foreign", "--port", "0", "--coordinator", "127.0.0.1:1", "--data-dir", directory],
                    echo: false, StartTimeout);
            }
            catch (InvalidOperationException ex)
            {
                refusal = ex;
            }
            if (started is not null)
            {
                var output = started.Output;
                await started.DisposeAsync();
                Assert.Fail($"the node started on a foreign, non-empty data directory:\n{output}");
            }

            var message = refusal!.Message;
            var exitCode = ExitCode().Match(message);
            Assert.True(exitCode.Success, $"the node did not exit before it was ready: {message}");
            Assert.True(exitCode.Groups[1].Value != "0", $"the node refused the directory but exited with code 0: {message}");
            Assert.Contains("not a RingKV data directory", message, StringComparison.Ordinal);
            Assert.Contains(directory, message, StringComparison.Ordinal);

            // Refusing means touching nothing: no marker, no database files next to the user's file.
            Assert.Equal([someoneElses], Directory.EnumerateFileSystemEntries(directory));
            Assert.Equal("not a database", await File.ReadAllTextAsync(someoneElses));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"exited with code (-?\d+) before it was ready")]
    private static partial Regex ExitCode();
}
