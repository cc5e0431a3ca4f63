using System.Text;

namespace RingKV.Node.Rebalancing;

/// <summary>What a copy (or a repair) did: slots compared, slots found different, keys and bytes pulled.</summary>
public sealed class CopyResult
{
    public int Peers { get; set; }

    public int SlotsCompared { get; set; }

    public int SlotsDiffering { get; set; }

    public long KeysPulled { get; set; }

    public long BytesPulled { get; set; }

    public TimeSpan Elapsed { get; set; }

    public void Add(CopyResult other)
    {
        Peers += other.Peers;
        SlotsCompared += other.SlotsCompared;
        SlotsDiffering += other.SlotsDiffering;
        KeysPulled += other.KeysPulled;
        BytesPulled += other.BytesPulled;
    }

    /// <summary>INFO-style <c>name:value</c> lines, the REPAIR reply.</summary>
    public string ToInfo() => new StringBuilder()
        .Append("peers:").Append(Peers)
        .Append("\nslots_compared:").Append(SlotsCompared)
        .Append("\nslots_differing:").Append(SlotsDiffering)
        .Append("\nkeys_pulled:").Append(KeysPulled)
        .Append("\nbytes_pulled:").Append(BytesPulled)
        .Append("\nelapsed_ms:").Append((long)Elapsed.TotalMilliseconds).Append('\n').ToString();
}
