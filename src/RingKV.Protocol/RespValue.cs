using System.Text;

namespace RingKV.Protocol;

/// <summary>
/// A parsed reply, owned (copied out of the receive buffer). Used on the client side of connections,
/// where a reply outlives the buffer; the server's hot path never builds these.
/// </summary>
public sealed class RespValue
{
    private static readonly IReadOnlyList<RespValue> NoItems = [];

    public RespValue(RespType type, byte[]? bytes = null, long integer = 0, IReadOnlyList<RespValue>? items = null)
    {
        Type = type;
        Bytes = bytes;
        Integer = integer;
        Items = items ?? NoItems;
    }

    public static RespValue Null { get; } = new(RespType.Null);

    public RespType Type { get; }

    /// <summary>Payload of string-like frames (simple, bulk, error, double, verbatim); null otherwise.</summary>
    public byte[]? Bytes { get; }

    public long Integer { get; }

    /// <summary>Children of arrays, sets, pushes; maps are flattened key, value, key, value.</summary>
    public IReadOnlyList<RespValue> Items { get; }

    public bool IsNull => Type == RespType.Null;

    public bool IsError => Type is RespType.Error or RespType.BulkError;

    /// <summary>The payload as UTF-8 text, the integer as text, or null.</summary>
    public string? AsString() => Type switch
    {
        RespType.Integer => Integer.ToString(),
        RespType.Null => null,
        _ => Bytes is null ? null : Encoding.UTF8.GetString(Bytes),
    };

    public override string ToString() => Type switch
    {
        RespType.Array or RespType.Set or RespType.Map or RespType.Push => $"[{string.Join(", ", Items)}]",
        RespType.Null => "(nil)",
        RespType.Error or RespType.BulkError => $"(error) {AsString()}",
        _ => AsString() ?? "",
    };
}
