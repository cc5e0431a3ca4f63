using System.Buffers.Binary;
using RingKV.Storage.Versioning;

namespace RingKV.Storage;

/// <summary>
/// Binary form of a <see cref="StoredRecord"/>, shared by replication messages and on-disk engines:
/// <code>
/// offset  size  field
///      0     1  format (1)
///      1     8  Version.Timestamp, big-endian
///      9     4  Version.NodeTag, big-endian
///     13     1  Flags
///     14     8  ExpiresAtMs, big-endian signed
///     22     n  value, to the end of the input
/// </code>
/// The layout is a compatibility promise: a change needs a new format byte, and a golden test pins format 1.
/// All members are thread-safe (stateless).
/// </summary>
public static class RecordCodec
{
    public const byte FormatVersion = 1;

    /// <summary>Size of everything before the value.</summary>
    public const int HeaderLength = 22;

    public static int GetEncodedLength(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return HeaderLength + record.Value.Length;
    }

    /// <summary>Writes <paramref name="record"/> at the start of <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written, <see cref="GetEncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Encode(StoredRecord record, Span<byte> destination)
    {
        var length = GetEncodedLength(record);
        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"Destination has {destination.Length} bytes; the record needs {length}.", nameof(destination));
        }

        destination[0] = FormatVersion;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], record.Version.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], record.Version.NodeTag);
        destination[13] = (byte)record.Flags;
        BinaryPrimitives.WriteInt64BigEndian(destination[14..], record.ExpiresAtMs);
        record.Value.CopyTo(destination[HeaderLength..]);
        return length;
    }

    public static byte[] Encode(StoredRecord record)
    {
        var buffer = new byte[GetEncodedLength(record)];
        Encode(record, buffer);
        return buffer;
    }

    /// <summary>Decodes one record occupying all of <paramref name="source"/>; the value is copied.</summary>
    /// <exception cref="FormatException">
    /// The input is shorter than the header, has an unknown format byte or flag bits, a negative expiry,
    /// or a tombstone that carries a value or an expiry.
    /// </exception>
    public static StoredRecord Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderLength)
        {
            throw new FormatException(
                $"Stored record is truncated: {source.Length} bytes, the header alone is {HeaderLength}.");
        }

        if (source[0] != FormatVersion)
        {
            throw new FormatException($"Unknown stored record format {source[0]}; this build reads format {FormatVersion}.");
        }

        var version = new RecordVersion(
            BinaryPrimitives.ReadUInt64BigEndian(source[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[9..]));
        var flags = (RecordFlags)source[13];
        var expiresAtMs = BinaryPrimitives.ReadInt64BigEndian(source[14..]);
        var value = source[HeaderLength..];

        if ((flags & ~RecordFlags.Tombstone) != 0)
        {
            throw new FormatException($"Stored record has unknown flag bits 0x{(byte)flags:X2}.");
        }

        if (expiresAtMs < 0)
        {
            throw new FormatException($"Stored record has a negative expiry {expiresAtMs}.");
        }

        if (flags == RecordFlags.Tombstone)
        {
            return value.IsEmpty && expiresAtMs == 0
                ? StoredRecord.Tombstone(version)
                : throw new FormatException("Stored tombstone carries a value or an expiry.");
        }

        return StoredRecord.ForValue(version, value.ToArray(), expiresAtMs);
    }
}
