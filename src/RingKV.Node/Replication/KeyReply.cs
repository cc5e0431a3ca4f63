using RingKV.Protocol;

namespace RingKV.Node.Replication;

/// <summary>
/// The result of one single-key operation, whether executed here as primary or relayed from the primary that
/// executed it, so multi-key commands can gather results from both alike.
/// </summary>
public readonly record struct KeyReply(KeyReplyKind Kind, byte[]? Bytes = null, long Integer = 0)
{
    public static KeyReply Ok { get; } = new(KeyReplyKind.Ok);

    public static KeyReply Nil { get; } = new(KeyReplyKind.Null);

    public static KeyReply Bulk(byte[] value) => new(KeyReplyKind.Bulk, value);

    public static KeyReply Number(long value) => new(KeyReplyKind.Integer, Integer: value);

    /// <summary>An error reply; <paramref name="message"/> starts with its code (<c>NOREPLICAS ...</c>).</summary>
    public static KeyReply Error(string message) => new(KeyReplyKind.Error, System.Text.Encoding.UTF8.GetBytes(message));

    public bool IsError => Kind == KeyReplyKind.Error;

    public void WriteTo(RespWriter writer)
    {
        switch (Kind)
        {
            case KeyReplyKind.Ok: writer.WriteOk(); break;
            case KeyReplyKind.Null: writer.WriteNull(); break;
            case KeyReplyKind.Bulk: writer.WriteBulkString(Bytes); break;
            case KeyReplyKind.Integer: writer.WriteInteger(Integer); break;
            default: writer.WriteError(Bytes); break;
        }
    }

    public static KeyReply FromResp(RespValue value) => value.Type switch
    {
        RespType.SimpleString => Ok,
        RespType.Null => Nil,
        RespType.Integer => Number(value.Integer),
        RespType.Error or RespType.BulkError => new(KeyReplyKind.Error, value.Bytes),
        _ => Bulk(value.Bytes ?? []),
    };
}

/// <summary>Shapes of <see cref="KeyReply"/>.</summary>
public enum KeyReplyKind
{
    Ok,
    Null,
    Bulk,
    Integer,
    Error,
}
