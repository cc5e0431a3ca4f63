using System.Text;

namespace RingKV.Placement.Tests;

public class HashSlotTests
{
    private static int Slot(string key) => HashSlot.ForKey(Encoding.UTF8.GetBytes(key));

    [Theory]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("hello", 866)]
    [InlineData("", 0)]
    public void ForKey_MatchesRedisClusterKeyslot(string key, int expected) => Assert.Equal(expected, Slot(key));

    [Fact]
    public void ForKey_KeysSharingHashTag_ShareSlot()
    {
        Assert.Equal(Slot("{user1000}.following"), Slot("{user1000}.followers"));
        Assert.Equal(Slot("user1000"), Slot("{user1000}.following"));
    }

    [Fact]
    public void ForKey_EmptyTag_HashesWholeKey() =>
        Assert.Equal(Crc16.Compute("foo{}{bar}"u8) % HashSlot.Count, Slot("foo{}{bar}"));

    [Fact]
    public void ForKey_TagEndsAtFirstClosingBrace() => Assert.Equal(Slot("{bar"), Slot("foo{{bar}}zap"));

    [Fact]
    public void ForKey_OnlyFirstTagCounts() => Assert.Equal(Slot("bar"), Slot("foo{bar}{zap}"));

    [Theory]
    [InlineData("foo{bar")]
    [InlineData("foo}bar{")]
    public void ForKey_UnclosedBrace_HashesWholeKey(string key) =>
        Assert.Equal(Crc16.Compute(Encoding.UTF8.GetBytes(key)) % HashSlot.Count, Slot(key));

    [Fact]
    public void ForKey_AlwaysInRange()
    {
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(Slot($"key:{i}"), 0, HashSlot.Count - 1);
        }
    }
}
