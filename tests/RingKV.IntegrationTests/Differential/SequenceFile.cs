namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// The hand-written sequences under <c>Differential/Sequences/*.redis</c>, copied next to the test assembly: one
/// command per line in <see cref="CommandLineParser"/>'s quoting; blank lines and lines starting with <c>#</c> are
/// skipped. Each file is one sequence (one FLUSHALL before its first command).
/// </summary>
public static class SequenceFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Differential", "Sequences");

    /// <summary>Every sequence file, in file-name order.</summary>
    /// <exception cref="InvalidOperationException">No file was copied to the output (the csproj item is missing).</exception>
    public static IReadOnlyList<CommandSequence> LoadAll()
    {
        var files = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.redis").Order(StringComparer.Ordinal).ToList()
            : [];
        return files.Count == 0
            ? throw new InvalidOperationException($"no *.redis file in {Directory}: are they copied to the output?")
            : [.. files.Select(Load)];
    }

    /// <exception cref="FormatException">A line does not parse; the message names the file and line.</exception>
    public static CommandSequence Load(string path)
    {
        var commands = new List<RedisCommand>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            try
            {
                commands.Add(new RedisCommand(CommandLineParser.Split(line), i + 1));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{Path.GetFileName(path)}:{i + 1}: {ex.Message}", ex);
            }
        }
        return new CommandSequence(Path.GetFileName(path), commands);
    }
}
