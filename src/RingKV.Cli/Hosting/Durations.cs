using System.Globalization;

namespace RingKV.Cli.Hosting;

/// <summary>Parses durations written as <c>10s</c>, <c>500ms</c>, <c>2m</c>, <c>3h</c>, <c>1d</c> or a bare number of seconds.</summary>
public static class Durations
{
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : text.EndsWith('d') ? (text[..^1], 86400.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new FormatException($"'{text}' is not a duration (examples: 10s, 500ms, 2m, 3h, 1d)");
        }
        return TimeSpan.FromSeconds(value * unit);
    }
}
