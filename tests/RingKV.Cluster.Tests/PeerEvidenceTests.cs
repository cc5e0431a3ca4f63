using RingKV.Cluster.Coordinator;

namespace RingKV.Cluster.Tests;

/// <summary>The peer field of HEARTBEAT: <c>node-2:120,node-3:15000</c>.</summary>
public sealed class PeerEvidenceTests
{
    [Fact]
    public void Format_Silences_IdColonMillisecondsCommaSeparated()
    {
        var text = PeerEvidence.Format(new Dictionary<string, long> { ["node-2"] = 120, ["node-3"] = 15000 });

        Assert.Equal("node-2:120,node-3:15000", text);
    }

    [Fact]
    public void Format_NoPeers_Empty() => Assert.Equal("", PeerEvidence.Format(new Dictionary<string, long>()));

    [Fact]
    public void Format_OutOfRangeValues_Clamped()
    {
        var text = PeerEvidence.Format(new Dictionary<string, long> { ["a"] = -5, ["b"] = long.MaxValue });

        Assert.Equal($"a:0,b:{int.MaxValue}", text);
    }

    [Fact]
    public void Format_IdsThatCanNotBeWritten_LeftOut()
    {
        var text = PeerEvidence.Format(new Dictionary<string, long>
        {
            ["with,comma"] = 1, [""] = 2, [new string('x', PeerEvidence.MaxIdBytes + 1)] = 3, ["ok"] = 4,
        });

        Assert.Equal("ok:4", text);
    }

    [Fact]
    public void Format_TooManyPeers_FirstMaxEntriesWrittenAndReadable()
    {
        var many = Enumerable.Range(0, PeerEvidence.MaxEntries + 10).ToDictionary(i => $"node-{i}", i => (long)i);

        Assert.True(PeerEvidence.TryParse(PeerEvidence.Format(many), out var parsed));
        Assert.Equal(PeerEvidence.MaxEntries, parsed.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("node-2:0")]
    [InlineData("node-2:120,node-3:15000")]
    [InlineData("10.0.0.7:5001:42")] // an id with colons: the value follows the last one
    [InlineData("ünïcode-node:2147483647")]
    public void TryParse_WhatFormatWrites_RoundTrips(string text)
    {
        Assert.True(PeerEvidence.TryParse(text, out var parsed));
        Assert.Equal(text, PeerEvidence.Format(parsed));
    }

    [Fact]
    public void TryParse_IdWithColon_ValueAfterTheLastColon()
    {
        Assert.True(PeerEvidence.TryParse("10.0.0.7:5001:42", out var parsed));

        Assert.Equal(42, parsed["10.0.0.7:5001"]);
    }

    [Theory]
    [InlineData(",")]
    [InlineData("node-2")]
    [InlineData("node-2:")]
    [InlineData(":120")]
    [InlineData("node-2:120,")]
    [InlineData(",node-2:120")]
    [InlineData("node-2:120,,node-3:1")]
    [InlineData("node-2:-1")]
    [InlineData("node-2:+1")]
    [InlineData("node-2: 1")]
    [InlineData("node-2:1.5")]
    [InlineData("node-2:0x10")]
    [InlineData("node-2:2147483648")]
    [InlineData("node-2:99999999999999999999")]
    [InlineData("node-2:1,node-2:2")]
    [InlineData("{\"not\":\"evidence\"}")]
    [InlineData("\0:\0")]
    public void TryParse_Garbage_False(string text) => Assert.False(PeerEvidence.TryParse(text, out _));

    [Fact]
    public void TryParse_IdTooLong_False() =>
        Assert.False(PeerEvidence.TryParse(new string('x', PeerEvidence.MaxIdBytes + 1) + ":1", out _));

    [Fact]
    public void TryParse_IdTooLongInUtf8Bytes_False() =>
        Assert.False(PeerEvidence.TryParse(new string('é', PeerEvidence.MaxIdBytes / 2 + 1) + ":1", out _));

    [Fact]
    public void TryParse_TooManyEntries_False()
    {
        var text = string.Join(',', Enumerable.Range(0, PeerEvidence.MaxEntries + 1).Select(i => $"n{i}:1"));

        Assert.False(PeerEvidence.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var random = new Random(14);
        const string Alphabet = "node-23:,0123456789 \0é";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            if (PeerEvidence.TryParse(text, out var parsed))
            {
                Assert.All(parsed.Values, v => Assert.InRange(v, 0, int.MaxValue));
                Assert.True(PeerEvidence.TryParse(PeerEvidence.Format(parsed), out var again));
                Assert.Equal(parsed, again);
            }
        }
    }
}
