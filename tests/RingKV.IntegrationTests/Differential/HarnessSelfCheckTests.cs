using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Differential;

/// <summary>
/// The harness against itself: two redis-servers must agree on every fixed and random sequence (so the sequences
/// are deterministic and the comparison modes accept what Redis legitimately varies), and a real difference must
/// be caught by each mode.
/// </summary>
public sealed class HarnessSelfCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FixedSequences_TwoRedisServers_AgreeOnEveryReply()
    {
        await using var first = await RedisServerProcess.StartAsync();
        await using var second = await RedisServerProcess.StartAsync();
        await using var harness = await DifferentialHarness.ConnectAsync("redis-a", first.Port, "redis-b", second.Port);
        var perFile = new List<string>();
        foreach (var sequence in SequenceFile.LoadAll())
        {
            perFile.Add($"{sequence.Name}: {sequence.Commands.Count} commands, {await harness.RunAsync(sequence)} mismatches");
        }
        DifferentialReport.Conclude(harness, output, perFile);
    }

    [Fact]
    public async Task RandomSequences_TwoRedisServers_AgreeOnEveryReply()
    {
        await using var first = await RedisServerProcess.StartAsync();
        await using var second = await RedisServerProcess.StartAsync();
        await using var harness = await DifferentialHarness.ConnectAsync("redis-a", first.Port, "redis-b", second.Port);
        var failing = new List<string>();
        for (var seed = 1; seed <= DifferentialReport.RandomSequenceCount(); seed++)
        {
            var mismatches = await harness.RunAsync(RandomSequences.Generate(seed));
            if (mismatches > 0)
            {
                failing.Add($"seed {seed}: {mismatches} mismatches");
            }
        }
        DifferentialReport.Conclude(harness, output, failing);
    }

    [Fact]
    public async Task DivergentKeyspaces_EveryModeReportsTheDifference()
    {
        await using var first = await RedisServerProcess.StartAsync();
        await using var second = await RedisServerProcess.StartAsync();
        await using var harness = await DifferentialHarness.ConnectAsync("redis-a", first.Port, "redis-b", second.Port);
        await harness.RunAsync(new CommandSequence("setup", [RedisCommand.Of("SET", "shared", "v", "EX", "1000")]));
        await using (var onlySecond = await RespFrameConnection.ConnectAsync(second.Port, TimeSpan.FromSeconds(5)))
        {
            // Only redis-b: an extra key, and a TTL far from redis-a's on the shared key.
            await onlySecond.ExecuteAsync(RedisCommand.Of("SET", "extra", "1").Arguments);
            await onlySecond.ExecuteAsync(RedisCommand.Of("EXPIRE", "shared", "5000").Arguments);
        }
        string[][] differing = [["DBSIZE"], ["KEYS", "*"], ["SCAN", "0", "COUNT", "1"], ["TTL", "shared"], ["PTTL", "shared"], ["EXPIRETIME", "shared"]];
        foreach (var command in differing)
        {
            Assert.False(await harness.CompareAsync("divergent", 1, RedisCommand.Of(command)), $"{string.Join(' ', command)} must be reported");
        }
        Assert.True(await harness.CompareAsync("divergent", 2, RedisCommand.Of("GET", "shared")), "GET shared agrees");
        Assert.True(await harness.CompareAsync("divergent", 3, RedisCommand.Of("RANDOMKEY")), "RANDOMKEY names an existing key on each side");
        Assert.Equal(differing.Length, harness.Mismatches.Count);
        output.WriteLine(string.Join("\n", harness.Mismatches));
    }

    [Fact]
    public void Generate_SameSeed_SameCommands()
    {
        Assert.Equal(RandomSequences.Generate(17).Commands, RandomSequences.Generate(17).Commands);
        Assert.NotEqual(RandomSequences.Generate(17).Commands, RandomSequences.Generate(18).Commands);
    }
}
