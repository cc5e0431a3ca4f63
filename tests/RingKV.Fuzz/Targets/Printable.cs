using System.Text;

namespace RingKV.Fuzz.Targets;

/// <summary>Bytes shown in reports and corpus names.</summary>
internal static class Printable
{
    /// <summary>Bytes as readable text: printable ASCII as is, everything else escaped.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int limit = 200)
    {
        var text = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, limit)])
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        if (bytes.Length > limit)
        {
            text.Append($"…({bytes.Length} bytes)");
        }
        return text.ToString();
    }
}
