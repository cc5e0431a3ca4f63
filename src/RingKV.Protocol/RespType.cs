namespace RingKV.Protocol;

/// <summary>RESP frame types a reply can have; values are the wire prefix bytes, pinned by a golden test.</summary>
public enum RespType : byte
{
    SimpleString = (byte)'+',
    Error = (byte)'-',
    Integer = (byte)':',
    BulkString = (byte)'$',
    Array = (byte)'*',
    /// <summary>RESP3 null (<c>_</c>); RESP2 null bulk and null array are reported as this type too.</summary>
    Null = (byte)'_',
    Double = (byte)',',
    Boolean = (byte)'#',
    BigNumber = (byte)'(',
    BulkError = (byte)'!',
    VerbatimString = (byte)'=',
    Map = (byte)'%',
    Set = (byte)'~',
    Push = (byte)'>',
}
