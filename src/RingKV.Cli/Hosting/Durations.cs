using System.CommandLine;
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

    /// <summary>Like <see cref="Parse"/>, but also accepts <c>off</c> (and <c>never</c>, <c>none</c>) for a disabled timer: <see cref="TimeSpan.Zero"/>.</summary>
    /// <exception cref="FormatException">Neither a duration nor off.</exception>
    public static TimeSpan ParseOrOff(string text) =>
        text.Trim().ToLowerInvariant() is "off" or "never" or "none" ? TimeSpan.Zero : Parse(text);

    /// <summary>
    /// A duration option (kept as text so <c>--help</c> shows the default as written, e.g. <c>15m</c>) that is checked at
    /// parse time: a typo is reported like any other usage error instead of failing once the action runs.
    /// </summary>
    public static Option<string> Option(string name, string description, string defaultValue, bool allowOff = false)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "duration" };
        option.Validators.Add(result =>
        {
            try
            {
                _ = allowOff ? ParseOrOff(result.GetValueOrDefault<string>()) : Parse(result.GetValueOrDefault<string>());
            }
            catch (FormatException)
            {
                result.AddError($"{name}: '{result.GetValueOrDefault<string>()}' is not a duration (examples: 10s, 500ms, 2m, 3h, 1d{(allowOff ? ", or off" : "")})");
            }
        });
        return option;
    }

    /// <summary>Short human form for progress lines: <c>45s</c>, <c>3m05s</c>, <c>2h10m</c>.</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0}s"
        : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
        : $"{(int)span.TotalHours}h{span.Minutes:00}m";
}
