namespace RingKV.Fuzz.Targets;

/// <summary>
/// What parsing a whole buffer gave: the frames read (rendered as text, so outcomes compare by value), the bytes
/// they consumed, and the protocol error that stopped parsing, if any. A broken invariant (an unexpected exception, an allocation or time over budget, a parse that consumed nothing) is recorded in <see cref="Violation"/>.
/// </summary>
internal sealed record ParseOutcome(IReadOnlyList<string> Frames, long Consumed, string? Error, string? Violation)
{
    /// <summary>Why <paramref name="other"/> differs from this outcome, or null when both are the same.</summary>
    public string? Difference(ParseOutcome other, bool compareErrorText = true)
    {
        var common = Math.Min(Frames.Count, other.Frames.Count);
        for (var i = 0; i < common; i++)
        {
            if (Frames[i] != other.Frames[i])
            {
                return $"frame {i}: {Frames[i]} vs {other.Frames[i]}";
            }
        }
        if (Frames.Count != other.Frames.Count)
        {
            return $"{Frames.Count} frames vs {other.Frames.Count}";
        }
        if ((Error is null) != (other.Error is null) || (compareErrorText && Error != other.Error))
        {
            return $"error '{Error ?? "none"}' vs '{other.Error ?? "none"}'";
        }
        if (Error is null && Consumed != other.Consumed)
        {
            return $"consumed {Consumed} vs {other.Consumed} bytes";
        }
        return null;
    }

    public override string ToString() =>
        $"{Frames.Count} frames, {Consumed} bytes consumed, error: {Error ?? "none"}{(Violation is null ? "" : ", violation: " + Violation)}";
}
