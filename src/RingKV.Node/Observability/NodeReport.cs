using System.Text.Json;
using System.Text.Json.Serialization;

namespace RingKV.Node.Observability;

/// <summary>
/// What a node tells the coordinator about itself with each heartbeat, so the dashboard and <c>/v1/overview</c>
/// show every node's traffic from one place without the coordinator polling nodes. Rates and the p99 cover the
/// interval since the previous report.
/// </summary>
public sealed record NodeReport(
    long Keys,
    long Bytes,
    double OpsPerSecond,
    double P99Milliseconds,
    long CommandsTotal,
    long ErrorsTotal,
    int Connections,
    long HintsPending,
    long ForwardedTotal,
    long ManagedHeapBytes,
    long ResidentBytes)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Largest report the coordinator keeps: a report is a dozen numbers, anything longer is not one.</summary>
    public const int MaxJsonLength = 4096;

    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}
