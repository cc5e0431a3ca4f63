namespace RingKV.IntegrationTests.TestKit;

/// <summary>One line of LIST_NODES: <c>node-1 127.0.0.1:40123 UP</c>.</summary>
public sealed record NodeStatus(string Id, string Endpoint, string State)
{
    public bool IsUp => State == "UP";

    /// <exception cref="FormatException">The line is not "id endpoint state".</exception>
    public static NodeStatus Parse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[2] is "UP" or "DOWN"
            ? new NodeStatus(parts[0], parts[1], parts[2])
            : throw new FormatException($"'{line}' is not a LIST_NODES line (id endpoint UP|DOWN)");
    }

    public override string ToString() => $"{Id} {Endpoint} {State}";
}
