using System.Text;

namespace RingKV.IntegrationTests.Differential;

/// <summary>One side's whole SCAN cursor loop: the union of its keys, or the reply that ended the loop early.</summary>
/// <param name="Reply">The first reply (or the failure that ended the loop).</param>
/// <param name="Keys">Every key returned (Latin-1 strings, one char per byte); null when the loop did not complete.</param>
/// <param name="Calls">SCAN calls made, the first included.</param>
public sealed record ScanOutcome(SideReply Reply, SortedSet<string>? Keys, int Calls)
{
    private const int MaxKeysShown = 40;

    public string Render() => Keys is null ? Reply.Render() : $"{Keys.Count} keys in {Calls} calls {RenderKeys(Keys)}";

    /// <summary>Keys as <c>{a, "b c", …}</c>, the first 40 only.</summary>
    public static string RenderKeys(IReadOnlyCollection<string> keys) =>
        "{" + string.Join(", ", keys.Take(MaxKeysShown).Select(k => Escaping.Argument(Encoding.Latin1.GetBytes(k))))
        + (keys.Count > MaxKeysShown ? $", …(+{keys.Count - MaxKeysShown})" : "") + "}";
}
