namespace RingKV.Fuzz.Generation;

/// <summary>
/// Byte-level mutations of a stream, AFL style (bit flips, interesting bytes, deletion, duplication, truncation,
/// splicing), plus one structure-aware one: replacing the number after a length prefix with an edge value.
/// </summary>
internal static class Mutator
{
    /// <summary>Streams never grow past this through mutation alone (duplication doubles at most this much).</summary>
    private const int MaxLength = 256 * 1024;

    public static byte[] Mutate(byte[] input, Random random, Func<Random, byte[]> donor)
    {
        var bytes = new List<byte>(input);
        for (var rounds = 1 + random.Next(4); rounds > 0; rounds--)
        {
            MutateOnce(bytes, random, donor);
        }
        return [.. bytes];
    }

    private static void MutateOnce(List<byte> bytes, Random random, Func<Random, byte[]> donor)
    {
        if (bytes.Count == 0)
        {
            bytes.AddRange(EdgeValues.Latin1(EdgeValues.Tokens[random.Next(EdgeValues.Tokens.Length)]));
            return;
        }
        var at = random.Next(bytes.Count);
        switch (random.Next(9))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[at] = EdgeValues.InterestingBytes[random.Next(EdgeValues.InterestingBytes.Length)];
                break;
            case 2:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                break;
            case 3 when bytes.Count < MaxLength:
                var length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            case 4:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 5:
                bytes.InsertRange(at, EdgeValues.Latin1(EdgeValues.Tokens[random.Next(EdgeValues.Tokens.Length)]));
                break;
            case 6 when bytes.Count < MaxLength:
                var other = donor(random);
                var from = random.Next(other.Length + 1);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            default:
                ReplaceHeaderNumber(bytes, random);
                break;
        }
    }

    /// <summary>Finds a length header (<c>*</c>, <c>$</c>, or a RESP3 one) and swaps its digits for an edge number (negative, huge, non-numeric).</summary>
    private static void ReplaceHeaderNumber(List<byte> bytes, Random random)
    {
        var headers = new List<int>();
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] is (byte)'*' or (byte)'$' or (byte)'%' or (byte)'~' or (byte)'>' or (byte)'|' or (byte)'=' or (byte)'!'
                && (i == 0 || bytes[i - 1] == (byte)'\n'))
            {
                headers.Add(i);
            }
        }
        if (headers.Count == 0)
        {
            return;
        }
        var start = headers[random.Next(headers.Count)] + 1;
        var end = start;
        while (end < bytes.Count && bytes[end] != (byte)'\r' && bytes[end] != (byte)'\n')
        {
            end++;
        }
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, EdgeValues.Latin1(EdgeValues.HeaderNumbers[random.Next(EdgeValues.HeaderNumbers.Length)]));
    }
}
