using System.Buffers.Binary;
using System.Text;
using RingKV.Storage.Hints;

namespace RingKV.Storage.RocksDb;

/// <summary>
/// How hints are laid out in the <c>hints</c> column family. Key:
/// <code>
/// offset  size  field
///      0     t  target node id, UTF-8 (non-empty, no zero byte)
///      t     1  0x00
///    t+1     8  sequence, big-endian
/// </code>
/// so each target's hints are one range, oldest first. Value:
/// <code>
/// offset  size  field
///      0     1  format (1)
///      1     2  slot, big-endian
///      3     8  CreatedAtMs, big-endian signed
///     11     4  key length n, big-endian
///     15     n  key
///   15+n     r  the record, RecordCodec format, to the end
/// </code>
/// One more key, <see cref="SequenceCeilingKey"/>, starts with 0x00 (no target can) and holds the sequence ceiling
/// (8 bytes, big-endian). The layout is on disk; golden tests pin it. Stateless and thread-safe.
/// </summary>
internal static class HintLayout
{
    public const byte FormatVersion = 1;

    private const int SequenceLength = 8;
    private const int ValueHeaderLength = 15;

    /// <summary>Key of the highest sequence the store may hand out before it records a new ceiling.</summary>
    public static ReadOnlySpan<byte> SequenceCeilingKey => "\0sequence-ceiling"u8;

    /// <exception cref="ArgumentException">The id is null, empty, or contains a zero character.</exception>
    public static void ValidateTarget(string targetNodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetNodeId);
        if (targetNodeId.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A target node id must not contain a zero character.", nameof(targetNodeId));
        }
    }

    /// <summary>The first possible key of the target's hints (the inclusive lower bound of its range).</summary>
    public static byte[] RangeStart(string targetNodeId) => Prefix(targetNodeId, 0x00);

    /// <summary>The exclusive upper bound of the target's range: the id followed by 0x01.</summary>
    public static byte[] RangeEnd(string targetNodeId) => Prefix(targetNodeId, 0x01);

    public static byte[] Key(string targetNodeId, long sequence)
    {
        var idLength = Encoding.UTF8.GetByteCount(targetNodeId);
        var key = new byte[idLength + 1 + SequenceLength];
        Encoding.UTF8.GetBytes(targetNodeId, key);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(idLength + 1), sequence);
        return key;
    }

    public static bool IsHintKey(ReadOnlySpan<byte> key) => key.Length > 0 && key[0] != 0;

    /// <exception cref="FormatException">The key is not a hint key.</exception>
    public static (string Target, long Sequence) ParseKey(ReadOnlySpan<byte> key)
    {
        var separator = key.Length - SequenceLength - 1;
        if (separator < 1 || key[separator] != 0 || key[..separator].Contains((byte)0))
        {
            throw new FormatException($"Hint key {Convert.ToHexString(key)} is malformed.");
        }

        return (Encoding.UTF8.GetString(key[..separator]), BinaryPrimitives.ReadInt64BigEndian(key[(separator + 1)..]));
    }

    public static byte[] EncodeValue(int slot, ReadOnlySpan<byte> key, StoredRecord record, long createdAtMs)
    {
        var value = new byte[ValueHeaderLength + key.Length + RecordCodec.GetEncodedLength(record)];
        value[0] = FormatVersion;
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(1), (ushort)slot);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(3), createdAtMs);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(11), key.Length);
        key.CopyTo(value.AsSpan(ValueHeaderLength));
        RecordCodec.Encode(record, value.AsSpan(ValueHeaderLength + key.Length));
        return value;
    }

    /// <exception cref="FormatException">The value is truncated, of an unknown format, or holds a bad record.</exception>
    public static Hint DecodeValue(long sequence, ReadOnlySpan<byte> value)
    {
        if (value.Length < ValueHeaderLength)
        {
            throw new FormatException($"Hint {sequence} is truncated: {value.Length} bytes.");
        }

        if (value[0] != FormatVersion)
        {
            throw new FormatException($"Hint {sequence} has unknown format {value[0]}; this build reads format {FormatVersion}.");
        }

        var slot = BinaryPrimitives.ReadUInt16BigEndian(value[1..]);
        var createdAtMs = BinaryPrimitives.ReadInt64BigEndian(value[3..]);
        var keyLength = BinaryPrimitives.ReadInt32BigEndian(value[11..]);
        if (keyLength < 0 || keyLength > value.Length - ValueHeaderLength)
        {
            throw new FormatException($"Hint {sequence} has key length {keyLength} but only {value.Length} bytes.");
        }

        var key = value.Slice(ValueHeaderLength, keyLength).ToArray();
        var record = RecordCodec.Decode(value[(ValueHeaderLength + keyLength)..]);
        return new Hint(sequence, slot, key, record, createdAtMs);
    }

    private static byte[] Prefix(string targetNodeId, byte last)
    {
        var idLength = Encoding.UTF8.GetByteCount(targetNodeId);
        var prefix = new byte[idLength + 1];
        Encoding.UTF8.GetBytes(targetNodeId, prefix);
        prefix[idLength] = last;
        return prefix;
    }
}
