using System.Text;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// The <c>RINGKV</c> file that marks a directory as a RingKV data directory and names the node that owns it, so a
/// mistyped <c>--data-dir</c> never turns someone's home directory into a database, and a node never starts on
/// another node's data (which would serve that node's records as its own). Format 1 is text, one
/// <c>key=value</c> per line, lines starting with <c>#</c> ignored:
/// <code>
/// format=1
/// node=&lt;node id&gt;      (absent when the directory was created without a node id)
/// </code>
/// Stateless; two processes racing to claim one new directory cannot both create the marker (one gets an error).
/// </summary>
internal static class DataDirectoryMarker
{
    public const string FileName = "RINGKV";
    public const int Format = 1;

    /// <summary>
    /// Makes sure <paramref name="directory"/> (a full path) may be used by <paramref name="nodeId"/>: creates it
    /// with a marker when it is missing or empty, checks the marker otherwise.
    /// </summary>
    /// <exception cref="StorageException">
    /// The path is a file; the directory is not empty and has no marker; the marker is unreadable, of an unknown
    /// format, or names another node; or the file system refused access.
    /// </exception>
    public static void Claim(string directory, string? nodeId)
    {
        var markerPath = Path.Combine(directory, FileName);
        try
        {
            if (File.Exists(directory))
            {
                throw new StorageException($"'{directory}' is a file, not a data directory; refusing to use it.");
            }

            if (!File.Exists(markerPath))
            {
                if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    throw new StorageException(
                        $"'{directory}' is not a RingKV data directory (no {FileName} marker); refusing to use it. " +
                        "Point the node at an empty or new directory.");
                }

                Directory.CreateDirectory(directory);
                Write(markerPath, nodeId);
                return;
            }

            var owner = ReadOwner(markerPath);
            if (owner is not null && nodeId is not null && !string.Equals(owner, nodeId, StringComparison.Ordinal))
            {
                throw new StorageException(
                    $"The data directory '{directory}' belongs to node {owner}, not {nodeId}; refusing to use it.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot use the data directory '{directory}': {ex.Message}", ex);
        }
    }

    private static void Write(string markerPath, string? nodeId)
    {
        var text = new StringBuilder()
            .Append("# RingKV data directory: the node refuses to start on a directory without this file.\n")
            .Append($"format={Format}\n");
        if (nodeId is not null)
        {
            text.Append($"node={nodeId}\n");
        }

        // CreateNew: of two processes claiming the same new directory, the second fails here instead of overwriting.
        // Flushed to disk before RocksDB creates anything, so a directory holding data always holds its marker.
        using var file = new FileStream(markerPath, FileMode.CreateNew, FileAccess.Write);
        file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        file.Flush(flushToDisk: true);
    }

    /// <returns>The owning node id, or null when the marker names none.</returns>
    private static string? ReadOwner(string markerPath)
    {
        int? format = null;
        string? owner = null;
        foreach (var line in File.ReadAllLines(markerPath, Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            var name = line[..equals];
            var value = line[(equals + 1)..];
            if (name == "format" && int.TryParse(value, out var parsed))
            {
                format = parsed;
            }
            else if (name == "node")
            {
                owner = value;
            }
        }

        return format switch
        {
            Format => owner,
            null => throw new StorageException($"The marker '{markerPath}' is unreadable (no format line); refusing to use the directory."),
            _ => throw new StorageException(
                $"The marker '{markerPath}' has format {format}; this build understands format {Format}. Refusing to use the directory."),
        };
    }
}
