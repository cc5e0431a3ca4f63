namespace RingKV.Placement.Tests;

public class Crc16Tests
{
    [Fact]
    public void Compute_StandardCheckInput_MatchesXmodemCheckValue() =>
        Assert.Equal(0x31C3, Crc16.Compute("123456789"u8));

    [Fact]
    public void Compute_Empty_IsInitialValue() => Assert.Equal(0, Crc16.Compute([]));
}
