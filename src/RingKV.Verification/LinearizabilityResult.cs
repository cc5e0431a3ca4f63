using System.Globalization;
using System.Text;

namespace RingKV.Verification;

/// <summary>What <see cref="LinearizabilityChecker"/> found: a verdict per key (in ordinal key order) and overall.</summary>
public sealed record LinearizabilityResult
{
    /// <summary><see cref="LinearizabilityStatus.NotLinearizable"/> if any key is; else
    /// <see cref="LinearizabilityStatus.Unknown"/> if any key is; else <see cref="LinearizabilityStatus.Linearizable"/>
    /// (also for a history without operations).</summary>
    public LinearizabilityStatus Status { get; internal init; }

    public IReadOnlyList<KeyLinearizability> Keys { get; internal init; } = [];

    public int LinearizableKeys => Keys.Count(k => k.Status == LinearizabilityStatus.Linearizable);

    public int NotLinearizableKeys => Keys.Count(k => k.Status == LinearizabilityStatus.NotLinearizable);

    public int UnknownKeys => Keys.Count(k => k.Status == LinearizabilityStatus.Unknown);

    /// <summary>Writes repeating a value already written to their key (invalid input; those keys are Unknown).</summary>
    public int DuplicateValues { get; internal init; }

    /// <summary>The witnesses of the keys that are not linearizable.</summary>
    public IEnumerable<Anomaly> Witnesses => Keys.Where(k => k.Witness is not null).Select(k => k.Witness!);

    /// <summary>Wall-clock time of the whole check.</summary>
    public TimeSpan Elapsed { get; internal init; }

    /// <summary>A one-line summary, then one line per key that is not linearizable or unknown (with its witness).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"linearizability: {StatusName(Status)} | keys {Keys.Count}: ");
        text.Append(CultureInfo.InvariantCulture, $"linearizable {LinearizableKeys}, not linearizable {NotLinearizableKeys}, unknown {UnknownKeys}");
        text.Append(CultureInfo.InvariantCulture, $" | {Elapsed.TotalMilliseconds:0} ms");
        foreach (var key in Keys.Where(k => k.Status != LinearizabilityStatus.Linearizable))
        {
            text.Append('\n').Append(key);
        }

        return text.ToString();
    }

    internal static string StatusName(LinearizabilityStatus status) => status switch
    {
        LinearizabilityStatus.Linearizable => "linearizable",
        LinearizabilityStatus.NotLinearizable => "NOT linearizable",
        _ => "unknown",
    };
}
