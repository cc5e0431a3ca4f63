namespace RingKV.IntegrationTests.Differential;

/// <summary>What one side answered: a frame, or why there was none (timeout, closed connection, malformed bytes).</summary>
public sealed record SideReply(RespFrame? Frame, string? Failure)
{
    public static SideReply Of(RespFrame frame) => new(frame, null);

    public static SideReply Failed(string failure) => new(null, failure);

    /// <summary>The frame's bytes escaped, or the failure in parentheses.</summary>
    public string Render() => Frame is not null ? Escaping.Render(Frame.Raw) : $"({Failure})";
}
