using System.Text.Json;

namespace RingKV.Cli.Views;

/// <summary>
/// The <c>--json</c> form of the read-only verbs: one camelCase document on stdout and nothing else there (no
/// colours, no tables, errors on stderr), so a script can pipe it to jq.
/// </summary>
public static class JsonOutput
{
    /// <summary>Shared by every verb so that all documents spell their property names the same way.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public static void Write<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Options));
}
