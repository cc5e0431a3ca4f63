using System.Globalization;

namespace RingKV.Bench.Rebalance;

/// <summary>Command line of the join benchmark (every option has a default; see <see cref="Usage"/>).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "Usage: RingKV.Bench.Rebalance [--keys 1000000] [--value-size 100] [--rate-mb 32] [--window 15] [--clients 8]\n"
        + "                             [--join-timeout 30] [--max-minutes 60] [--out bench/results/rebalance-join.md]\n"
        + "                             [--logs <file>]\n"
        + "  --keys          keys preloaded as bench:{i} before the 4th node joins\n"
        + "  --value-size    bytes per value (preload and foreground SETs)\n"
        + "  --rate-mb       each node's --rebalance-rate in MiB/s (0 = unlimited)\n"
        + "  --window        seconds of foreground load measured before and after the join\n"
        + "  --clients       concurrent closed-loop clients (GET 50% / SET 50% on random preloaded keys)\n"
        + "  --join-timeout  minutes to wait for the transition to finish\n"
        + "  --max-minutes   bound on the whole run\n"
        + "  --out           Markdown report, relative to the repository root\n"
        + "  --logs          also write every process' kept output (last 2000 lines each) to this file at the end";

    public int Keys { get; init; } = 1_000_000;

    public int ValueSize { get; init; } = 100;

    /// <summary>MiB/s, the unit of the node's <c>--rebalance-rate</c>; 0 = unlimited.</summary>
    public double RateMb { get; init; } = 32;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(15);

    public int Clients { get; init; } = 8;

    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan MaxRuntime { get; init; } = TimeSpan.FromMinutes(60);

    public string Out { get; init; } = Path.Combine("bench", "results", "rebalance-join.md");

    /// <summary>Where to write the processes' output at the end; null = only on failure (to a temp file).</summary>
    public string? Logs { get; init; }

    /// <summary>The arguments as given, for the report's command line.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <exception cref="FormatException">An unknown option, a missing value or a value out of range.</exception>
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions { Arguments = args };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value");
            }
            var value = args[++i];
            options = name switch
            {
                "--keys" => options with { Keys = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--value-size" => options with { ValueSize = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--rate-mb" => options with { RateMb = NonNegative(name, double.Parse(value, CultureInfo.InvariantCulture)) },
                "--window" => options with { Window = TimeSpan.FromSeconds(Positive(name, double.Parse(value, CultureInfo.InvariantCulture))) },
                "--clients" => options with { Clients = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--join-timeout" => options with { JoinTimeout = TimeSpan.FromMinutes(Positive(name, double.Parse(value, CultureInfo.InvariantCulture))) },
                "--max-minutes" => options with { MaxRuntime = TimeSpan.FromMinutes(Positive(name, double.Parse(value, CultureInfo.InvariantCulture))) },
                "--out" => options with { Out = value },
                "--logs" => options with { Logs = value },
                _ => throw new FormatException($"unknown option {name}"),
            };
        }
        return options;
    }

    private static T Positive<T>(string name, T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new FormatException($"{name} must be positive");

    private static double NonNegative(string name, double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new FormatException($"{name} must be 0 or positive");
}
