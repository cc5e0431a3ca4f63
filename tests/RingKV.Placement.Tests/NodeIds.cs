namespace RingKV.Placement.Tests;

internal static class NodeIds
{
    /// <summary>"node-1".."node-<paramref name="count"/>", the names the bench measures.</summary>
    public static string[] Range(int count) => Enumerable.Range(1, count).Select(i => $"node-{i}").ToArray();
}
