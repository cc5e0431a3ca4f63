using RingKV.Cluster.Map;

namespace RingKV.Cluster.Coordinator;

/// <summary>
/// Persists the cluster map as JSON in the coordinator's data directory. Writes go to a temporary file that is
/// flushed to disk and then renamed over the old one, so a crash leaves either the old or the new map, never half.
/// </summary>
public sealed class MapFile(string directory)
{
    private readonly string _path = Path.Combine(directory, "cluster-map.json");

    public ClusterMap? Load() => File.Exists(_path) ? ClusterMap.FromJson(File.ReadAllText(_path)) : null;

    public void Save(ClusterMap map)
    {
        Directory.CreateDirectory(directory);
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(map.ToJson()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }
}
