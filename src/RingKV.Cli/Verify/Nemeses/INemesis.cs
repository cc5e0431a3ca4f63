namespace RingKV.Cli.Verify.Nemeses;

/// <summary>
/// A fault that <c>ringkv verify</c> injects and heals while its workload runs (Jepsen's nemesis). One fault is
/// active at a time; the runner alternates <see cref="InjectAsync"/> and <see cref="HealAsync"/>.
/// </summary>
public interface INemesis
{
    /// <summary>Short name used on the command line and in reports (<c>kill</c>, <c>pause</c>, ...).</summary>
    string Name { get; }

    /// <summary>Starts one fault; returns what it did, for the run's log.</summary>
    Task<string> InjectAsync(Random random);

    /// <summary>Ends the active fault, if any (safe to call when none is active); returns what it did, or null.</summary>
    Task<string?> HealAsync();
}
