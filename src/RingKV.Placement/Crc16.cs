namespace RingKV.Placement;

/// <summary>
/// CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection, no final XOR): the checksum Redis Cluster
/// uses to map keys to hash slots (Redis Cluster specification, "Keys distribution model").
/// Pure and thread-safe.
/// </summary>
public static class Crc16
{
    private const ushort Polynomial = 0x1021;

    // Entry b is the CRC register after shifting the byte b through it MSB-first, so the main loop
    // consumes one byte per table lookup instead of eight conditional shifts.
    private static readonly ushort[] Table = CreateTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc = (ushort)((crc << 8) ^ Table[(crc >> 8) ^ b]);
        }

        return crc;
    }

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < table.Length; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ Polynomial) : (ushort)(crc << 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
