using System.Globalization;

namespace RingKV.Protocol.Commands;

/// <summary>
/// Integer arguments parsed as strictly as Redis' <c>string2ll</c>: an optional minus sign and decimal digits, no
/// plus sign, no spaces, no leading zeros ("0" itself excepted, "-0" rejected), within the range of a long.
/// </summary>
/// <remarks>
/// .NET's own parser accepts " 10", "+10" and "010", which Redis answers with "value is not an integer"; a client
/// that relies on that error (or on what a real Redis stores) must see the same here.
/// </remarks>
public static class RedisInteger
{
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (digits.IsEmpty || (digits[0] == (byte)'0' && (digits.Length > 1 || digits.Length != text.Length)))
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }
        // The shape is checked above; the BCL parser only adds the overflow check.
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
