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
}
