namespace RingKV.Cli.Shell;

/// <summary>Shell history kept in memory and appended to a file, so it survives between sessions (like redis-cli's).</summary>
public sealed class LineHistory
{
    private const int MaxEntries = 1000;
    private readonly List<string> _entries = [];
    private readonly string _path;

    public LineHistory(string path)
    {
        _path = path;
        try
        {
            if (File.Exists(path))
            {
                _entries.AddRange(File.ReadLines(path).TakeLast(MaxEntries));
            }
        }
        catch (IOException)
        {
            // History is a convenience; an unreadable file must not stop the shell.
        }
    }

    public IReadOnlyList<string> Entries => _entries;

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
