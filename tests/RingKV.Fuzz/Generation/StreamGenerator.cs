using System.Text;

namespace RingKV.Fuzz.Generation;

/// <summary>
/// Produces the byte streams every target is fed: pipelines of valid requests (multibulk and inline), valid requests
/// followed by one malformed frame, RESP3 and nested frames where a request may not have them, mutations of all of
/// these and of the corpus, and plain garbage. Deterministic: the same <see cref="Random"/> state gives the same bytes.
/// </summary>
/// <remarks>Not thread-safe only through the <see cref="Random"/> passed in; the generator itself holds no state.</remarks>
internal sealed class StreamGenerator(CommandVocabulary vocabulary, IReadOnlyList<byte[]> corpus)
{
    public byte[] Next(Random random) => random.Next(100) switch
    {
        < 30 => Pipeline(random),
        < 50 => WithMalformedFrame(random),
        < 55 => Resp3OrNested(random),
        < 82 => Mutator.Mutate(Pipeline(random), random, Donor),
        < 95 when corpus.Count > 0 => Mutator.Mutate(corpus[random.Next(corpus.Count)], random, Donor),
        _ => Garbage(random),
    };

    /// <summary>1 to 8 well-formed requests, each multibulk or (when it fits in a line) inline.</summary>
    public byte[] Pipeline(Random random)
    {
        var output = new List<byte>();
        for (var count = 1 + random.Next(8); count > 0; count--)
        {
            AppendRequest(output, random);
        }
        return [.. output];
    }

    private void AppendRequest(List<byte> output, Random random)
    {
        var args = vocabulary.Next(random);
        if (random.Next(4) == 0 && args.Sum(a => a.Length * 4 + 3) < 60_000)
        {
            RequestEncoder.Inline(output, args, random);
        }
        else
        {
            RequestEncoder.Multibulk(output, args);
        }
    }

    private byte[] Donor(Random random) =>
        corpus.Count > 0 && random.Next(2) == 0 ? corpus[random.Next(corpus.Count)] : Pipeline(random);

    /// <summary>Some valid requests, one broken frame, and sometimes valid requests after it (which must go unanswered).</summary>
    private byte[] WithMalformedFrame(Random random)
    {
        var output = new List<byte>();
        for (var count = random.Next(3); count > 0; count--)
        {
            AppendRequest(output, random);
        }
        RequestEncoder.Ascii(output, MalformedFrame(random));
        if (random.Next(2) == 0)
        {
            AppendRequest(output, random);
        }
        return [.. output];
    }

    private const string TypePrefixes = "+-:*%~#,(=_>!|";

    private static string Number(Random random) => EdgeValues.HeaderNumbers[random.Next(EdgeValues.HeaderNumbers.Length)];

    private static string MalformedFrame(Random random) => random.Next(15) switch
    {
        0 => $"*{Number(random)}\r\n",
        1 => $"*2\r\n$3\r\nGET\r\n${Number(random)}\r\nk\r\n",
        2 => $"*1\r\n${Number(random)}\r\nPING\r\n",
        // Declared longer than the payload: the request stays incomplete (the server must wait, not misframe).
        3 => $"*2\r\n$3\r\nGET\r\n${2 + random.Next(100)}\r\nk\r\n",
        // Declared shorter: the payload is not followed by CRLF.
        4 => "*2\r\n$3\r\nGET\r\n$1\r\nkey\r\n",
        5 => $"*2\r\n$3\r\nGET\r\n{TypePrefixes[random.Next(TypePrefixes.Length)]}5\r\n",
        6 => "*1\r\n*1\r\n$4\r\nPING\r\n",
        7 => "*1\n$4\nPING\n",
        8 => "*1\r$4\rPING\r",
        9 => "*" + new string('9', 70_000) + (random.Next(2) == 0 ? "\r\n" : ""),
        10 => "*1\r\n$" + new string('1', 70_000),
        11 => UnbalancedInline(random),
        12 => "GET " + new string('a', random.Next(2) == 0 ? 70_000 : 1 << 20) + "\r\n",
        // RESP3 aggregates with edge counts: a map's count is doubled by a reader (pairs), a classic overflow.
        13 => $"{"%~>|"[random.Next(4)]}{Number(random)}\r\n",
        _ => $"*{random.Next(1, 4)}\r\n$4\r\nPING\r\n",
    };

    private static string UnbalancedInline(Random random) => random.Next(8) switch
    {
        0 => "GET \"abc\r\n",
        1 => "GET 'abc\r\n",
        2 => "SET \"a\"b c\r\n",
        3 => "SET 'a'b c\r\n",
        4 => "ECHO \"\\x4\"\r\n",
        5 => "ECHO \"\\x4g\\xZZ\\\"\"\r\n",
        6 => "ECHO \"a\\\"\r\n",
        _ => "ECHO 'it\\'s'\r\n",
    };

    /// <summary>RESP3 and nested aggregates as requests: Redis reads any non-<c>*</c> frame as an inline command.</summary>
    private static byte[] Resp3OrNested(Random random)
    {
        var frames = new[]
        {
            "%1\r\n$3\r\nGET\r\n$1\r\nk\r\n", "~2\r\n$3\r\nGET\r\n$1\r\nk\r\n", ">1\r\n$4\r\nPING\r\n", "_\r\n", "#t\r\n",
            ",1.5\r\n", "(12345678901234567890\r\n", "=7\r\ntxt:abc\r\n", "!3\r\nERR\r\n", "|1\r\n+a\r\n+b\r\n", "+PING\r\n",
            "-ERR x\r\n", ":1\r\n", "$4\r\nPING\r\n", "*2\r\n*1\r\n$3\r\nGET\r\n$1\r\nk\r\n", "*1\r\n%0\r\n", "*1\r\n:1\r\n",
            "*2\r\n$4\r\nECHO\r\n*-1\r\n", "*2\r\n$4\r\nECHO\r\n$-1\r\n",
        };
        var text = new StringBuilder();
        for (var count = 1 + random.Next(3); count > 0; count--)
        {
            text.Append(frames[random.Next(frames.Length)]);
        }
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>Random bytes, biased towards the characters RESP gives meaning to.</summary>
    private static byte[] Garbage(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(2) == 0
                ? EdgeValues.InterestingBytes[random.Next(EdgeValues.InterestingBytes.Length)]
                : (byte)random.Next(256);
        }
        return bytes;
    }
}
