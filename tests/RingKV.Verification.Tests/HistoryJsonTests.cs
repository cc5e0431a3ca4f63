using System.Text;

namespace RingKV.Verification.Tests;

public class HistoryJsonTests
{
    [Fact]
    public void WriteThenRead_RoundTripsEveryField()
    {
        var original = HistoryGenerator.Generate(seed: 7, processes: 5, keys: 4, operations: 300, unknownRate: 0.1, failRate: 0.05).ToHistory();
        var odd = new Operation(9, OperationKind.Write, "key \"quoted\" ünïcode {tag}", "line\nbreak\t+<>&", -5, 0, Outcome.Ok, "note \\ with \"quotes\"");
        var history = new History([.. original.Operations, odd], new Dictionary<string, string?>(original.FinalReads) { ["absent"] = null });

        var copy = RoundTrip(history);

        Assert.Equal(history.Operations, copy.Operations);
        Assert.Equal(history.FinalReads.OrderBy(p => p.Key, StringComparer.Ordinal), copy.FinalReads.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(Verdict.Check(history).SummaryLine, Verdict.Check(copy).SummaryLine);
    }

    [Fact]
    public void SaveThenLoad_RoundTripsThroughAFile()
    {
        var history = HistoryGenerator.Generate(seed: 3, processes: 3, keys: 2, operations: 50).ToHistory();
        var path = Path.Combine(Path.GetTempPath(), $"ringkv-history-{Guid.NewGuid():N}.jsonl");
        try
        {
            HistoryJson.Save(history, path);
            var copy = HistoryJson.Load(path);
            Assert.Equal(history.Operations, copy.Operations);
            Assert.Equal(history.FinalReads.Count, copy.FinalReads.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_SkipsBlankLinesAndIgnoresUnknownProperties()
    {
        var text = """

            {"type":"op","process":1,"kind":"write","key":"k","value":"v","invoke":1,"complete":2,"outcome":"ok","future":[1,2]}

            {"type":"final","key":"k","value":"v","checkedAt":"later"}
            """;

        var history = Parse(text);

        Assert.Equal([Ops.W(1, "v", 1, 2)], history.Operations);
        Assert.Equal("v", history.FinalReads["k"]);
    }

    [Theory]
    [InlineData("""{"type":"op","process":1,"kind":"delete","key":"k","value":"v","invoke":1,"complete":2,"outcome":"ok"}""", "kind")]
    [InlineData("""{"type":"op","process":1,"kind":"write","key":"k","value":"v","invoke":1,"complete":2,"outcome":"maybe"}""", "outcome")]
    [InlineData("""{"type":"op","process":1,"kind":"write","key":"k","value":"v","complete":2,"outcome":"ok"}""", "invoke")]
    [InlineData("""{"type":"op","process":1,"kind":"write","value":"v","invoke":1,"complete":2,"outcome":"ok"}""", "key")]
    [InlineData("""{"type":"checkpoint"}""", "checkpoint")]
    [InlineData("""{"type":"op", """, "line 2")]
    public void Read_MalformedLine_ThrowsNamingTheLine(string badLine, string expectedInMessage)
    {
        var text = """{"type":"final","key":"k","value":null}""" + "\n" + badLine + "\n";

        var error = Assert.Throws<InvalidDataException>(() => Parse(text));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WriteOfNull_IsRejected()
    {
        var text = """{"type":"op","process":1,"kind":"write","key":"k","value":null,"invoke":1,"complete":2,"outcome":"ok"}""";

        Assert.Throws<InvalidDataException>(() => Parse(text));
    }

    private static History RoundTrip(History history)
    {
        using var stream = new MemoryStream();
        HistoryJson.Write(history, stream);
        stream.Position = 0;
        return HistoryJson.Read(stream);
    }

    private static History Parse(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return HistoryJson.Read(stream);
    }
}
