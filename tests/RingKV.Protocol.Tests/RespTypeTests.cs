namespace RingKV.Protocol.Tests;

/// <summary>Pins <see cref="RespType"/> to the RESP2/RESP3 wire prefixes: the parser casts the prefix byte directly.</summary>
public class RespTypeTests
{
    [Theory]
    [InlineData(RespType.SimpleString, '+')]
    [InlineData(RespType.Error, '-')]
    [InlineData(RespType.Integer, ':')]
    [InlineData(RespType.BulkString, '$')]
    [InlineData(RespType.Array, '*')]
    [InlineData(RespType.Null, '_')]
    [InlineData(RespType.Double, ',')]
    [InlineData(RespType.Boolean, '#')]
    [InlineData(RespType.BigNumber, '(')]
    [InlineData(RespType.BulkError, '!')]
    [InlineData(RespType.VerbatimString, '=')]
    [InlineData(RespType.Map, '%')]
    [InlineData(RespType.Set, '~')]
    [InlineData(RespType.Push, '>')]
    public void RespType_ValueIsWirePrefix(RespType type, char prefix) => Assert.Equal((byte)prefix, (byte)type);

    [Fact]
    public void RespType_HasFourteenMembers() => Assert.Equal(14, Enum.GetValues<RespType>().Length);
}
