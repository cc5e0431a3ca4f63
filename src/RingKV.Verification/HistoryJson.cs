using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RingKV.Verification;

/// <summary>
/// Saves and loads a <see cref="History"/> as JSON Lines (UTF-8, one object per line), so that a failing run can be
/// kept and checked again. Operations first, in history order, then the final reads in ordinal key order:
/// <code>
/// {"type":"op","process":3,"kind":"write","key":"k1","value":"p3-17","invoke":1200,"complete":1450,"outcome":"ok"}
/// {"type":"op","process":1,"kind":"read","key":"k1","value":null,"invoke":1300,"complete":9223372036854775807,"outcome":"unknown","note":"timeout"}
/// {"type":"final","key":"k1","value":"p3-17"}
/// </code>
/// Kinds and outcomes are written by name (<c>write</c>/<c>read</c>, <c>ok</c>/<c>fail</c>/<c>unknown</c>); readers
/// ignore properties they do not know, so fields can be added later. Stateless and thread-safe.
/// </summary>
public static class HistoryJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keys and values are test data read by people; HTML-safe escaping of quotes and '+' would only obscure them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="history"/> to <paramref name="stream"/>, leaving the stream open.</summary>
    public static void Write(History history, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, WriterOptions);
        foreach (var op in history.Operations)
        {
            json.WriteStartObject();
            json.WriteString("type", "op");
            json.WriteNumber("process", op.Process);
            json.WriteString("kind", KindName(op.Kind));
            json.WriteString("key", op.Key);
            json.WriteString("value", op.Value);
            json.WriteNumber("invoke", op.InvokeTicks);
            json.WriteNumber("complete", op.CompleteTicks);
            json.WriteString("outcome", OutcomeName(op.Outcome));
            if (op.Note is not null)
            {
                json.WriteString("note", op.Note);
            }

            json.WriteEndObject();
            EndLine(json, stream);
        }

        foreach (var (key, value) in history.FinalReads.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("type", "final");
            json.WriteString("key", key);
            json.WriteString("value", value);
            json.WriteEndObject();
            EndLine(json, stream);
        }
    }

    /// <summary>Reads a history written by <see cref="Write"/>, leaving the stream open. Blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not valid JSON or not a valid record; the message names the
    /// line.</exception>
    public static History Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var operations = new List<Operation>();
        var finals = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var record = document.RootElement;
                switch (RequiredString(record, "type"))
                {
                    case "op":
                        operations.Add(ReadOperation(record));
                        break;
                    case "final":
                        finals[RequiredString(record, "key")] = OptionalString(record, "value");
                        break;
                    case var other:
                        throw new InvalidDataException($"unknown record type \"{other}\"");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"line {number}: {e.Message}", e);
            }
        }

        try
        {
            return new History(operations, finals);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>Writes <paramref name="history"/> to a file, replacing it.</summary>
    public static void Save(History history, string path)
    {
        using var file = File.Create(path);
        Write(history, file);
    }

    /// <inheritdoc cref="Read"/>
    public static History Load(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    internal static string KindName(OperationKind kind) => kind switch
    {
        OperationKind.Write => "write",
        OperationKind.Read => "read",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    internal static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.Ok => "ok",
        Outcome.Fail => "fail",
        Outcome.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static Operation ReadOperation(JsonElement record) => new(
        RequiredNumber(record, "process").GetInt32(),
        RequiredString(record, "kind") switch
        {
            "write" => OperationKind.Write,
            "read" => OperationKind.Read,
            var other => throw new InvalidDataException($"unknown kind \"{other}\""),
        },
        RequiredString(record, "key"),
        OptionalString(record, "value"),
        RequiredNumber(record, "invoke").GetInt64(),
        RequiredNumber(record, "complete").GetInt64(),
        RequiredString(record, "outcome") switch
        {
            "ok" => Outcome.Ok,
            "fail" => Outcome.Fail,
            "unknown" => Outcome.Unknown,
            var other => throw new InvalidDataException($"unknown outcome \"{other}\""),
        },
        OptionalString(record, "note"));

    private static string RequiredString(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"missing string property \"{name}\"");

    private static JsonElement RequiredNumber(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value
            : throw new InvalidDataException($"missing number property \"{name}\"");

    private static string? OptionalString(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static void EndLine(Utf8JsonWriter json, Stream stream)
    {
        json.Flush();
        stream.WriteByte((byte)'\n');
        // A Utf8JsonWriter accepts one top-level value; Reset starts the next line on the same stream.
        json.Reset();
    }
}
