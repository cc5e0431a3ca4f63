using System.Numerics;
using System.Text;

namespace RingKV.Node.Commands;

/// <summary>
/// The x87 80-bit extended double (C's <c>long double</c> on x86-64 Linux) that Redis' INCRBYFLOAT computes with,
/// emulated exactly: parsing as glibc's <c>strtold</c> behind Redis' <c>string2ld</c>, one rounded addition, and
/// printing as Redis' <c>ld2string(..., LD_STR_HUMAN)</c> (<c>%.17Lf</c>, trailing zeros removed).
/// </summary>
/// <remarks>
/// Why not <see cref="double"/> or <see cref="decimal"/>: INCRBYFLOAT replies must be byte-identical to Redis'.
/// With doubles, 10.5 + 0.1 prints 10.59999999999999964 at 17 decimals where Redis prints 10.6; with decimals,
/// 12345678901234567.89 stays exact where Redis prints 12345678901234567.8896484375, and 1e20 + 0.1 keeps its
/// 0.1 where Redis' 64-bit significand drops it. So a value is kept as <c>±M·2^E</c> with a 64-bit significand
/// <c>M</c>, and every rounding (from decimal text, after an addition) is done exactly with big integers,
/// round-to-nearest-even as the FPU does. Immutable.
/// </remarks>
public readonly struct LongDouble
{
    // x87 extended: 64-bit significand with an explicit integer bit; normal exponents down to 2^-16382, so the
    // least significant bit of the smallest subnormal is 2^-16445; the largest finite value is below 2^16384.
    private const int SignificandBits = 64;
    private const int MinExponent = -16445;
    private const int MaxExponent = 16384 - SignificandBits;

    /// <summary>Redis' <c>MAX_LONG_DOUBLE_CHARS</c>: longer inputs are rejected before parsing.</summary>
    private const int MaxTextLength = 5 * 1024;

    private readonly BigInteger _significand; // < 2^64
    private readonly int _exponent;

    private LongDouble(bool negative, BigInteger significand, int exponent, bool infinite = false)
    {
        Negative = negative;
        _significand = significand;
        _exponent = exponent;
        IsInfinity = infinite;
    }

    public bool Negative { get; }

    public bool IsInfinity { get; }

    public bool IsZero => !IsInfinity && _significand.IsZero;

    /// <summary>
    /// Parses like Redis' <c>string2ld</c>: the whole text must be a <c>strtold</c> number (decimal, hexadecimal with
    /// an optional binary exponent, or infinity) with no leading space; NaN, overflow to infinity and a non-zero
    /// number that underflows to zero are rejected. Like the C code, the text ends at its first NUL byte.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.Length is 0 or >= MaxTextLength)
        {
            return false;
        }
        var negative = text[0] == (byte)'-';
        var body = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (IsWord(body, "inf") || IsWord(body, "infinity"))
        {
            value = new LongDouble(negative, BigInteger.Zero, 0, infinite: true);
            return true;
        }
        var parsed = IsHexPrefix(body)
            ? TryParseHex(body[2..], out var numerator, out var scale2, out var scale10)
            : TryParseDecimal(body, out numerator, out scale2, out scale10);
        if (!parsed)
        {
            return false;
        }
        if (numerator.IsZero)
        {
            value = new LongDouble(negative, BigInteger.Zero, 0);
            return true;
        }
        // Far outside the range, decide without building 10^huge (the text is at most 5 KiB, so digits are bounded).
        var magnitude10 = scale10 + (long)Math.Ceiling(scale2 * 0.30103) + (long)BigInteger.Log10(numerator);
        if (magnitude10 > 4940)
        {
            return false; // strtold: HUGE_VALL with ERANGE
        }
        if (magnitude10 < -4960)
        {
            return false; // strtold: zero with ERANGE
        }
        value = Round(negative, numerator, scale2, scale10);
        return !value.IsInfinity && !value.IsZero;
    }

    /// <summary>The sum rounded once, as <c>long double</c> addition; infinity when it overflows.</summary>
    public LongDouble Add(LongDouble other)
    {
        if (IsInfinity || other.IsInfinity)
        {
            // inf + -inf is NaN in C; the caller rejects NaN and infinity alike, so infinity stands for both.
            return new LongDouble(IsInfinity ? Negative : other.Negative, BigInteger.Zero, 0, infinite: true);
        }
        var exponent = Math.Min(_exponent, other._exponent);
        var sum = Signed() * BigInteger.Pow(2, _exponent - exponent) + other.Signed() * BigInteger.Pow(2, other._exponent - exponent);
        if (sum.IsZero)
        {
            // Round-to-nearest gives +0 for x + (-x), and -0 only for (-0) + (-0).
            return new LongDouble(Negative && other.Negative, BigInteger.Zero, 0);
        }
        return Round(sum.Sign < 0, BigInteger.Abs(sum), exponent, 0);
    }

    /// <summary>
    /// Redis' human form: <c>%.17Lf</c> (exact binary value rounded to 17 decimals, ties to even), trailing zeros and
    /// a trailing point removed, and "-0" written as "0".
    /// </summary>
    public string ToRedisString()
    {
        if (IsInfinity)
        {
            return Negative ? "-inf" : "inf";
        }
        // scaled = M·2^E·10^17, rounded to an integer.
        BigInteger numerator = _significand * BigInteger.Pow(10, 17), denominator = BigInteger.One;
        if (_exponent >= 0)
        {
            numerator <<= _exponent;
        }
        else
        {
            denominator <<= -_exponent;
        }
        var scaled = DivideRoundingToEven(numerator, denominator);
        var digits = scaled.ToString().PadLeft(18, '0');
        var text = new StringBuilder();
        if (Negative)
        {
            text.Append('-');
        }
        text.Append(digits, 0, digits.Length - 17).Append('.').Append(digits, digits.Length - 17, 17);
        var length = text.Length;
        while (text[length - 1] == '0')
        {
            length--;
        }
        if (text[length - 1] == '.')
        {
            length--;
        }
        var result = text.ToString(0, length);
        return result == "-0" ? "0" : result;
    }

    private BigInteger Signed() => Negative ? -_significand : _significand;

    /// <summary>Rounds <c>numerator·2^scale2·10^scale10</c> (numerator &gt; 0) to the nearest extended value.</summary>
    private static LongDouble Round(bool negative, BigInteger numerator, long scale2, long scale10)
    {
        BigInteger denominator = BigInteger.One;
        if (scale10 >= 0) { numerator *= BigInteger.Pow(10, (int)scale10); }
        else { denominator = BigInteger.Pow(10, (int)-scale10); }
        // value = numerator / denominator · 2^scale2; choose E so that value / 2^E has 64 integer bits.
        var exponent = scale2 + (long)(numerator.GetBitLength() - denominator.GetBitLength()) - SignificandBits;
        while (true)
        {
            exponent = Math.Max(exponent, MinExponent);
            var shift = exponent - scale2; // value / 2^E = numerator / (denominator · 2^shift)
            var significand = shift >= 0
                ? DivideRoundingToEven(numerator, denominator << (int)shift)
                : DivideRoundingToEven(numerator << (int)-shift, denominator);
            if (significand.GetBitLength() > SignificandBits)
            {
                exponent++; // the estimate was one low, or rounding carried into a 65th bit
                continue;
            }
            if (significand.GetBitLength() < SignificandBits && exponent > MinExponent)
            {
                exponent--; // the estimate was one high (not subnormal): use the lost bit
                continue;
            }
            return exponent > MaxExponent
                ? new LongDouble(negative, BigInteger.Zero, 0, infinite: true)
                : new LongDouble(negative, significand, (int)exponent);
        }
    }

    private static BigInteger DivideRoundingToEven(BigInteger numerator, BigInteger denominator)
    {
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        var comparison = twice.CompareTo(denominator);
        return comparison > 0 || (comparison == 0 && !quotient.IsEven) ? quotient + 1 : quotient;
    }

    /// <summary><c>digits[.digits][e[+-]digits]</c> with at least one mantissa digit.</summary>
    private static bool TryParseDecimal(ReadOnlySpan<byte> text, out BigInteger numerator, out long scale2, out long scale10)
    {
        scale2 = 0;
        numerator = BigInteger.Zero;
        var intDigits = ReadDigits(text, 0, 10, ref numerator);
        var i = intDigits;
        var fractionDigits = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            fractionDigits = ReadDigits(text, i + 1, 10, ref numerator);
            i += 1 + fractionDigits;
        }
        scale10 = -fractionDigits;
        if (intDigits + fractionDigits == 0)
        {
            return false;
        }
        if (i < text.Length && (text[i] | 0x20) == 'e')
        {
            if (!TryReadExponent(text[(i + 1)..], out var exponent))
            {
                return false;
            }
            scale10 += exponent;
            i = text.Length;
        }
        return i == text.Length;
    }

    /// <summary><c>hexdigits[.hexdigits][p[+-]digits]</c> after the <c>0x</c>.</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> text, out BigInteger numerator, out long scale2, out long scale10)
    {
        scale10 = 0;
        numerator = BigInteger.Zero;
        var i = ReadDigits(text, 0, 16, ref numerator);
        var fractionDigits = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            fractionDigits = ReadDigits(text, i + 1, 16, ref numerator);
            i += 1 + fractionDigits;
        }
        scale2 = -4L * fractionDigits;
        if (i < text.Length && (text[i] | 0x20) == 'p')
        {
            if (!TryReadExponent(text[(i + 1)..], out var exponent))
            {
                return false;
            }
            scale2 += exponent;
            i = text.Length;
        }
        return i == text.Length;
    }

    /// <summary>Appends the digits at <paramref name="start"/> to <paramref name="value"/>; returns how many there were.</summary>
    private static int ReadDigits(ReadOnlySpan<byte> text, int start, int radix, ref BigInteger value)
    {
        var i = start;
        while (i < text.Length && DigitValue(text[i], radix) is var digit and >= 0)
        {
            value = value * radix + digit;
            i++;
        }
        return i - start;
    }

    /// <summary>A signed decimal exponent that must end the text; clamped so that absurd exponents stay absurd.</summary>
    private static bool TryReadExponent(ReadOnlySpan<byte> text, out long exponent)
    {
        exponent = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            exponent = Math.Min(exponent * 10 + (c - '0'), 1_000_000_000);
        }
        exponent = negative ? -exponent : exponent;
        return true;
    }

    private static int DigitValue(byte c, int radix) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' when radix == 16 => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' when radix == 16 => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsHexDigit(byte c) => DigitValue(c, 16) >= 0;

    /// <summary>strtold reads hexadecimal only when <c>0x</c> is followed by a digit or by a point and a digit;
    /// otherwise it reads the "0" and stops at the x (which makes the text invalid here).</summary>
    private static bool IsHexPrefix(ReadOnlySpan<byte> text) =>
        text.Length > 2 && text[0] == (byte)'0' && (text[1] | 0x20) == 'x'
        && (IsHexDigit(text[2]) || (text[2] == (byte)'.' && text.Length > 3 && IsHexDigit(text[3])));

    private static bool IsWord(ReadOnlySpan<byte> text, string word) => Protocol.Commands.CommandTable.EqualsIgnoreCase(text, word);
}
