namespace RingKV.Storage;

/// <summary>
/// When an engine forces written data to stable storage, like Redis' <c>appendfsync</c>. Every policy survives a
/// process crash (kill -9) for acknowledged writes, because the write-ahead log is written to the OS before a write
/// returns; they differ on a machine crash or power loss. Values are persisted in no file; names are the CLI's.
/// </summary>
public enum FsyncPolicy
{
    /// <summary>Sync the log before every write returns: nothing acknowledged is lost even on power loss. Slowest.</summary>
    Always = 0,

    /// <summary>Sync once a second in the background: a machine crash loses at most about the last second.</summary>
    EverySecond = 1,

    /// <summary>Never sync explicitly; the OS writes back when it likes (typically within 30 s).</summary>
    No = 2,
}

/// <summary>Parsing of <see cref="FsyncPolicy"/> names as the CLI and CONFIG use them.</summary>
public static class FsyncPolicyNames
{
    public static bool TryParse(string text, out FsyncPolicy policy)
    {
        switch (text.ToLowerInvariant())
        {
            case "always": policy = FsyncPolicy.Always; return true;
            case "everysec": policy = FsyncPolicy.EverySecond; return true;
            case "no": policy = FsyncPolicy.No; return true;
            default: policy = default; return false;
        }
    }

    public static string Name(this FsyncPolicy policy) => policy switch
    {
        FsyncPolicy.Always => "always",
        FsyncPolicy.EverySecond => "everysec",
        _ => "no",
    };
}
