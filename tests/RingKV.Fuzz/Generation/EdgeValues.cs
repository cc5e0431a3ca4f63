using System.Text;

namespace RingKV.Fuzz.Generation;

/// <summary>
/// The values that break parsers and command handlers: boundaries of int and long, numbers Redis' <c>string2ll</c>
/// rejects but .NET accepts, framing bytes inside payloads, and the lengths behind known Redis CVEs.
/// </summary>
internal static class EdgeValues
{
    /// <summary>Text for a <c>*</c> or <c>$</c> header: valid, negative, non-numeric, and near every limit.</summary>
    public static readonly string[] HeaderNumbers =
    [
        "0", "1", "2", "3", "-1", "-2", "-0", "+1", "01", "00", " 1", "1 ", "", "abc", "1.5", "1e3", "0x10",
        "1023", "1024", "1025", "65535", "65536", "1048575", "1048576", "1048577", "2147483647", "2147483648",
        "4294967295", "4294967296", "536870912", "536870913", "9223372036854775807", "9223372036854775808",
        "4611686018427387904", "4611686018427387905", "-9223372036854775808", "-9223372036854775809", "99999999999999999999", "18446744073709551615",
        "1\0", "\0", "1\r", "\t1", "-",
    ];

    /// <summary>Integer arguments (INCRBY, GETRANGE, EXPIRE, …).</summary>
    public static readonly string[] Integers =
    [
        "0", "1", "-1", "2", "7", "-7", "10", "100", "-100", "1000", "65536", "2147483647", "2147483648", "-2147483649",
        "4294967296", "536870911", "536870912", "9223372036854775807", "9223372036854775806", "-9223372036854775808",
        "-9223372036854775807", "9223372036854775808", "+5", "05", "-0", " 5", "5 ", "1.0", "abc", "",
    ];

    /// <summary>
    /// Expiry amounts (EX, PX, EXAT, PXAT, EXPIRE …) whose effect does not depend on when a command runs: far in the
    /// future, already past (the key goes at once), or invalid. A 1-second expiry could lapse between two commands of a
    /// slow run and make redis-server and RingKV disagree for no fault of either.
    /// </summary>
    public static readonly string[] Expiries =
    [
        "1000", "100000", "100000000", "4102444800", "4102444800000", "0", "-1", "-100", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "abc", "", "1.5",
    ];

    /// <summary>Float arguments (INCRBYFLOAT).</summary>
    public static readonly string[] Floats =
    [
        "0", "0.5", "-1.25", "1e2", "3.0e3", "1e308", "1e309", "-1e309", "inf", "-inf", "+inf", "nan", "5e-324", "0.1",
        "+1.5", "1.", ".5", "1e", "0x1p3", " 1", "1,5", "",
    ];

    /// <summary>String values, binary ones included.</summary>
    public static readonly string[] Values =
    [
        "", "v", "value", "0", "1", "-1", "42", "9223372036854775807", "1.5", "hello world", "\0", "a\0b", "\r\n", "\r", "\n",
        "*1\r\n$4\r\nPING\r\n", "$-1", "\"", "'", "\\", "\xff\xfe\x80", "é", " ", "\t", "OK", "+OK", "-ERR x",
    ];

    /// <summary>Glob patterns, including the many-star shape of Redis' CVE-2022-36021 (exponential matching).</summary>
    public static readonly string[] Patterns =
    [
        "*", "k*", "?", "[a-z]*", "[^k]*", "\\*", "[", "[]", "[\\", "[a-", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
        "*************************************************z", "**?**?**?**?**?**?**?**?**?**?**?**?**?b",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "a*[b-", "",
    ];

    /// <summary>Bytes a mutation writes into a stream: framing characters, sign and digit, quotes, NUL and high bytes.</summary>
    public static readonly byte[] InterestingBytes = Encoding.Latin1.GetBytes("\r\n\0*$:+-_#,(=%~>!|0129 \t\v\f\"'\\x\x7f\x80\xff");

    /// <summary>Tokens a mutation inserts.</summary>
    public static readonly string[] Tokens =
    [
        "\r\n", "\r", "\n", "*", "$", "*-1\r\n", "$-1\r\n", "*0\r\n", "*1\r\n", "$0\r\n\r\n", "-1", "99999999999", "2147483648",
        "1048577", "\"", "'", "\\x", "\0", " ", "%1\r\n", "~1\r\n", ">1\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(1\r\n",
        "*1\r\n$4\r\nPING\r\n", "PING\r\n",
    ];

    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
