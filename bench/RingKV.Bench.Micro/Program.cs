using BenchmarkDotNet.Running;

namespace RingKV.Bench.Micro;

/// <summary>
/// Micro-benchmarks of the hot paths (codec, placement, HLC, command dispatch, storage engines).
/// Run through <c>bench/micro.sh</c>, which picks a job short enough for our 2-core machines; any
/// BenchmarkDotNet argument works here too (<c>--filter '*Codec*'</c>, <c>--list flat</c>, <c>--job dry</c>).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
