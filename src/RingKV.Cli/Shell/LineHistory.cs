namespace RingKV.Cli.Shell;

/// <summary>
/// Shell history kept in memory and appended to a file, so it survives between sessions (like redis-cli's). Both
/// are bounded to the last <see cref="MaxEntries"/> lines: the memory list as lines are added, the file when a
/// shell starts (it only grows by one session's lines in between).
/// </summary>
/// <remarks>Not thread-safe: one shell, one thread. The file is a convenience: failing to read or write it never stops the shell.</remarks>
public sealed class LineHistory
{
    public const int MaxEntries = 1000;

    private readonly List<string> _entries = [];
    private readonly string _path;

    public LineHistory(string path)
    {
        _path = path;
        try
        {
            if (!File.Exists(path))
            {
                return;
            }
            var lines = File.ReadAllLines(path);
            _entries.AddRange(lines.TakeLast(MaxEntries));
            if (lines.Length > MaxEntries)
            {
                // Written aside, then moved over the file: a shell killed meanwhile leaves the old history whole. A
                // line another shell appends between the read and the move is lost, an acceptable cost for history.
                var trimmed = path + ".tmp";
                File.WriteAllLines(trimmed, _entries);
                File.Move(trimmed, path, overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Records a line, unless it repeats the previous one.</summary>
    public void Add(string line)
    {
        if (_entries.Count > 0 && _entries[^1] == line)
        {
            return;
        }
        _entries.Add(line);
        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveAt(0);
        }
        try
        {
            File.AppendAllLines(_path, [line]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
