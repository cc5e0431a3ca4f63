using RingKV.Fuzz.Targets;

namespace RingKV.Fuzz;

/// <summary>A broken invariant: which target, the iteration seed that reproduces it, the message, and the stream before and after shrinking.</summary>
internal sealed record Finding(string Target, int Seed, string Message, byte[] Input, byte[] Minimized)
{
    /// <summary>
    /// For the campaign's tally: <c>crash</c> (an unexpected exception, a process that died or logged a failed
    /// connection), <c>hang</c> (a call or reply over its time), <c>mismatch</c> (differential), or <c>violation</c>
    /// (any other broken invariant: allocation, segmentation dependence, a wrong reply count or ending).
    /// </summary>
    public string Kind =>
        Message.Contains("hang", StringComparison.Ordinal) || Message.Contains("timeout", StringComparison.Ordinal) ? "hang"
        : Message.Contains("crash", StringComparison.Ordinal) || Message.Contains("exited", StringComparison.Ordinal)
            || Message.Contains("failed connection", StringComparison.Ordinal) || Message.Contains("threw", StringComparison.Ordinal) ? "crash"
        : Target == "differential" ? "mismatch"
        : "violation";

    public override string ToString() =>
        $"[{Kind}] {Target} seed {Seed}: {Message}\n  minimal stream ({Minimized.Length} of {Input.Length} bytes): \"{Printable.Escape(Minimized, 600)}\"";
}
