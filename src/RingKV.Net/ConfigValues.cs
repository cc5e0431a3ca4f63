using System.Globalization;

namespace RingKV.Net;

/// <summary>Validators for <see cref="ConfigEntry"/> with Redis 7.0's error texts (the part after the dash).</summary>
public static class ConfigValues
{
    /// <summary>A decimal integer in [<paramref name="min"/>, <paramref name="max"/>] (Redis' numeric configs).</summary>
    public static Func<string, string?> Integer(long min, long max) => value =>
        !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? "argument couldn't be parsed into an integer"
            : number < min || number > max
                ? $"argument must be between {min} and {max} inclusive"
                : null;

    /// <summary>yes or no, case-insensitive (Redis' boolean configs).</summary>
    public static string? YesNo(string value) =>
        value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase)
            ? null
            : "argument must be 'yes' or 'no'";

    /// <summary>One of <paramref name="names"/>, case-insensitive (Redis' enum configs).</summary>
    public static Func<string, string?> OneOf(params string[] names) => value =>
        names.Any(n => n.Equals(value, StringComparison.OrdinalIgnoreCase))
            ? null
            : "argument(s) must be one of the following: " + string.Join(", ", names);

    /// <summary>An integer argument that <see cref="Integer"/> accepted.</summary>
    public static long ParseInteger(string value) => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>A byte count in [<paramref name="min"/>, <paramref name="max"/>], with Redis' units (see <see cref="TryParseMemory"/>).</summary>
    public static Func<string, string?> Memory(long min, long max) => value =>
        !TryParseMemory(value, out var bytes)
            ? "argument must be a memory value"
            : bytes < min || bytes > max
                ? $"argument must be between {min} and {max} inclusive"
                : null;

    /// <summary>
    /// A byte count as Redis' memtoull reads it: digits, then optionally <c>b</c>, <c>k</c> (1000), <c>kb</c> (1024),
    /// <c>m</c>, <c>mb</c>, <c>g</c>, <c>gb</c>, any case (<c>512mb</c>, <c>1gb</c>, <c>65536</c>).
    /// </summary>
    public static bool TryParseMemory(string value, out long bytes)
    {
        bytes = 0;
        var text = value.Trim().ToLowerInvariant();
        var digits = text.TrimEnd('b', 'k', 'm', 'g');
        long unit = text[digits.Length..] switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (unit == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / unit)
        {
            return false;
        }
        bytes = number * unit;
        return true;
    }

    /// <summary>
    /// The value of <c>client-output-buffer-limit</c>: the hard limit as a memory value (<c>0</c> = none), or Redis'
    /// form for its one class RingKV has, <c>normal &lt;hard&gt; 0 0</c> (RingKV keeps no soft limit).
    /// </summary>
    public static string? OutputBufferLimit(string value) => TryParseOutputBufferLimit(value, out _)
        ? null
        : "argument must be a memory value or 'normal <hard limit> 0 0' (RingKV has no soft limit and only normal clients)";

    /// <summary>The hard limit of a <c>client-output-buffer-limit</c> value that <see cref="OutputBufferLimit"/> accepted.</summary>
    public static bool TryParseOutputBufferLimit(string value, out long hardLimit)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 4 && words[0].Equals("normal", StringComparison.OrdinalIgnoreCase)
            && TryParseMemory(words[2], out var soft) && soft == 0 && words[3] == "0")
        {
            return TryParseMemory(words[1], out hardLimit);
        }
        hardLimit = 0;
        return words.Length == 1 && TryParseMemory(words[0], out hardLimit);
    }

    /// <summary>A byte count that <see cref="Memory"/> accepted.</summary>
    public static long ParseMemory(string value) =>
        TryParseMemory(value, out var bytes) ? bytes : throw new FormatException($"'{value}' is not a memory value");
}
