namespace RingKV.Verification.Tests;

/// <summary>Histories are saved as files: these values and names must never change.</summary>
public class EnumGoldenTests
{
    [Fact]
    public void OperationKind_ValuesArePinned()
    {
        Assert.Equal(0, (int)OperationKind.Write);
        Assert.Equal(1, (int)OperationKind.Read);
        Assert.Equal(["Write", "Read"], Enum.GetNames<OperationKind>());
    }

    [Fact]
    public void Outcome_ValuesArePinned()
    {
        Assert.Equal(0, (int)Outcome.Unknown);
        Assert.Equal(1, (int)Outcome.Ok);
        Assert.Equal(2, (int)Outcome.Fail);
        Assert.Equal(["Unknown", "Ok", "Fail"], Enum.GetNames<Outcome>());
    }

    [Fact]
    public void DefaultOutcome_IsTheWeakestClaim() => Assert.Equal(Outcome.Unknown, default(Outcome));

    [Fact]
    public void JsonLines_FormatIsPinned()
    {
        var history = new History(
            [
                new Operation(3, OperationKind.Write, "k1", "p3-17", 1200, 1450, Outcome.Ok),
                new Operation(1, OperationKind.Read, "k1", null, 1300, long.MaxValue, Outcome.Unknown, "timeout"),
                new Operation(2, OperationKind.Write, "k2", "p2-1", 1500, 1600, Outcome.Fail, "ERR syntax error"),
            ],
            new Dictionary<string, string?> { ["k2"] = null, ["k1"] = "p3-17" });

        using var stream = new MemoryStream();
        HistoryJson.Write(history, stream);

        Assert.Equal(
            """
            {"type":"op","process":3,"kind":"write","key":"k1","value":"p3-17","invoke":1200,"complete":1450,"outcome":"ok"}
            {"type":"op","process":1,"kind":"read","key":"k1","value":null,"invoke":1300,"complete":9223372036854775807,"outcome":"unknown","note":"timeout"}
            {"type":"op","process":2,"kind":"write","key":"k2","value":"p2-1","invoke":1500,"complete":1600,"outcome":"fail","note":"ERR syntax error"}
            {"type":"final","key":"k1","value":"p3-17"}
            {"type":"final","key":"k2","value":null}

            """.ReplaceLineEndings("\n"),
            System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
