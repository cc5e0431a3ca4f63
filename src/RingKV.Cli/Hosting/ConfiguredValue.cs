namespace RingKV.Cli.Hosting;

/// <summary>One setting of a role as it runs.</summary>
/// <param name="Key">The option's long name without dashes, e.g. <c>data-dir</c>.</param>
/// <param name="Value">As text, the way a flag, a variable or the file would write it; null when unset.</param>
/// <param name="Source"><c>default</c>, <c>file PATH</c>, <c>env RINGKV_X</c> or <c>flag</c>.</param>
public sealed record ConfiguredValue(string Key, string? Value, string Source);
