using RingKV.Nemesis;
using Xunit.Abstractions;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// Creates a <see cref="NetworkLab"/> for a test, or explains visibly why it cannot: without root or <c>ip netns</c>
/// the test writes a notice and returns (xunit 2 has no dynamic skip), unless RINGKV_REQUIRE_NETNS=1, which turns
/// the missing capability into a failure (for CI machines that are known to have it).
/// </summary>
public static class Labs
{
    /// <returns>The lab, or null when the test should return early.</returns>
    public static async Task<NetworkLab?> CreateOrSkipAsync(int namespaces, ITestOutputHelper output)
    {
        try
        {
            return await NetworkLab.CreateAsync(namespaces);
        }
        catch (NetworkLabUnavailableException ex)
        {
            var notice = $"skipped: {ex.Message} (RINGKV_REQUIRE_NETNS=1 makes this a failure)";
            Assert.False(Environment.GetEnvironmentVariable("RINGKV_REQUIRE_NETNS") == "1", "RINGKV_REQUIRE_NETNS=1 but " + notice);
            output.WriteLine("NOTICE: " + notice);
            Console.WriteLine("NOTICE: " + notice);
            return null;
        }
    }
}
