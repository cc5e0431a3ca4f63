using System.Security.Cryptography;

namespace RingKV.Fuzz;

/// <summary>
/// The fuzz corpus (tests/fuzz-corpus): hand-written seeds in <c>seeds/</c> and the minimised streams of past
/// findings in <c>found/</c>, one raw stream per <c>.resp</c> file (with a <c>.txt</c> note beside each finding).
/// Every file is replayed against every target as a regular test, and mutated by the generators.
/// </summary>
internal static class Corpus
{
    public const string Extension = ".resp";

    /// <summary>
    /// Every stream under <paramref name="directory"/>, by file name (relative, '/'-separated), in a stable order, then
    /// the <see cref="Generated"/> ones.
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string directory) =>
    [
        .. Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + Extension, SearchOption.AllDirectories)
                .Select(path => (Path.GetRelativePath(directory, path).Replace('\\', '/'), File.ReadAllBytes(path)))
                .OrderBy(entry => entry.Item1, StringComparer.Ordinal)
            : Enumerable.Empty<(string, byte[])>(),
        .. Generated,
    ];

    /// <summary>Seeds too large to keep as files: the 1 MB inline line and header lines past the 64 KB limit.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Generated =>
    [
        ("generated/inline-1mb-line", Latin1("GET " + new string('a', 1 << 20) + "\r\n")),
        ("generated/multibulk-header-70kb", Latin1("*" + new string('9', 70_000) + "\r\n")),
        ("generated/multibulk-header-70kb-no-crlf", Latin1("*" + new string('9', 70_000))),
        ("generated/bulk-header-70kb", Latin1("*1\r\n$" + new string('1', 70_000))),
        ("generated/many-arguments", Latin1("*100000\r\n" + string.Concat(Enumerable.Repeat("$1\r\nx\r\n", 100_000)))),
    ];

    private static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);

    /// <summary>Saves a finding's minimal stream as <c>found/&lt;target&gt;-&lt;hash&gt;.resp</c> with its report beside it; returns the path.</summary>
    public static string Save(string directory, Finding finding)
    {
        var found = Path.Combine(directory, "found");
        Directory.CreateDirectory(found);
        var hash = Convert.ToHexStringLower(SHA256.HashData(finding.Minimized))[..12];
        var path = Path.Combine(found, $"{finding.Target}-{hash}{Extension}");
        File.WriteAllBytes(path, finding.Minimized);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"), finding + "\n");
        return path;
    }
}
