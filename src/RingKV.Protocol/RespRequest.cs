namespace RingKV.Protocol;

/// <summary>
/// The arguments of one parsed request (command name first).
/// </summary>
/// <remarks>
/// Arguments are slices of the connection's receive buffer, not copies: they stay valid only until the
/// connection advances its pipe reader past the request (after the batch it belongs to has been executed).
/// An argument that happens to span two buffer segments is copied, which is rare and cheap relative to I/O.
/// Anything that must outlive the batch (a stored key or value) is copied with <see cref="ToArray"/>.
/// One instance is reused per connection; it is not thread-safe.
/// </remarks>
public sealed class RespRequest : IReadOnlyList<ReadOnlyMemory<byte>>
{
    private ReadOnlyMemory<byte>[] _args = new ReadOnlyMemory<byte>[8];

    /// <summary>Number of arguments, including the command name.</summary>
    public int Count { get; private set; }

    /// <summary>True when the request came as an inline (telnet style) line rather than a multibulk array.</summary>
    public bool IsInline { get; internal set; }

    public ReadOnlySpan<byte> this[int index] => Memory(index).Span;

    public ReadOnlyMemory<byte> Memory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _args[index];
    }

    /// <summary>The arguments as memory, so a command can be handed on without copying its argument list.</summary>
    ReadOnlyMemory<byte> IReadOnlyList<ReadOnlyMemory<byte>>.this[int index] => Memory(index);

    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _args[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Copies argument <paramref name="index"/> out of the receive buffer.</summary>
    public byte[] ToArray(int index) => Memory(index).ToArray();

    /// <summary>Argument <paramref name="index"/> decoded as UTF-8 (for names and options, not for values).</summary>
    public string GetString(int index) => System.Text.Encoding.UTF8.GetString(this[index]);

    /// <summary>Builds a request from arguments that are already bytes (a request relayed with a prefix removed).</summary>
    public static RespRequest FromArguments(IEnumerable<ReadOnlyMemory<byte>> args)
    {
        var request = new RespRequest();
        foreach (var arg in args)
        {
            request.Add(arg);
        }
        return request;
    }

    /// <summary>Builds a request from strings; for tests and internal callers.</summary>
    public static RespRequest FromStrings(params string[] args)
    {
        var request = new RespRequest();
        foreach (var arg in args)
        {
            request.Add(System.Text.Encoding.UTF8.GetBytes(arg));
        }
        return request;
    }

    // A multibulk request that did not fit in what had arrived: where it starts, its declared count, and how many bytes
    // from its start its next argument begins. The arguments already parsed stay slices of the receive buffer: a
    // connection consumes nothing of an incomplete request, so the pipe keeps those bytes where they are.
    private SequencePosition? _suspendedAt;
    private long _suspendedCount;
    private long _suspendedOffset;

    /// <summary>
    /// True (with the offset to continue at) when the last parse stopped inside a request of <paramref name="count"/>
    /// arguments that starts at <paramref name="start"/>: the same buffer, the same bytes, more having arrived.
    /// </summary>
    /// <remarks>A request seen at another position (another buffer, or one the caller rebuilt) starts over.</remarks>
    internal bool TryResume(SequencePosition start, long count, out long offset)
    {
        offset = _suspendedOffset;
        var resumable = _suspendedAt is { } at && at.Equals(start) && _suspendedCount == count;
        if (!resumable)
        {
            EndSuspension();
        }
        return resumable;
    }

    /// <summary>Remembers how far an incomplete multibulk request got (see <see cref="TryResume"/>).</summary>
    internal void Suspend(SequencePosition start, long count, long offset)
    {
        _suspendedAt = start;
        _suspendedCount = count;
        _suspendedOffset = offset;
    }

    internal void EndSuspension() => _suspendedAt = null;

    internal void Reset(int capacity)
    {
        EndSuspension();
        Count = 0;
        IsInline = false;
        if (_args.Length < capacity)
        {
            // Grow geometrically but never trust a declared count beyond what actually arrives:
            // callers cap the initial capacity so "*1000000" alone does not allocate 16 MB.
            _args = new ReadOnlyMemory<byte>[Math.Max(capacity, _args.Length * 2)];
        }
    }

    internal void Add(ReadOnlyMemory<byte> arg)
    {
        if (Count == _args.Length)
        {
            Array.Resize(ref _args, _args.Length * 2);
        }
        _args[Count++] = arg;
    }
}
