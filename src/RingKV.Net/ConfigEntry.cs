namespace RingKV.Net;

/// <summary>
/// One parameter of CONFIG GET / CONFIG SET: its name, how to read its current value, and, for parameters that
/// may change at runtime, how to check and apply a new value.
/// </summary>
/// <remarks>
/// CONFIG SET with several parameters validates every value before it applies any (Redis applies all or none), so
/// <see cref="Validate"/> must not change state and <see cref="Apply"/> must accept every value Validate accepted.
/// Both may run on any connection's thread, concurrently with <see cref="Get"/> on others: the state behind them
/// must be safe to read and write concurrently (a volatile field is enough for single values).
/// </remarks>
public sealed class ConfigEntry
{
    public ConfigEntry(string name, Func<string> get, Func<string, string?>? validate = null, Action<string>? apply = null)
    {
        if ((validate is null) != (apply is null))
        {
            throw new ArgumentException("a settable parameter needs both a validator and an apply action");
        }
        Name = name;
        Get = get;
        Validate = validate;
        Apply = apply;
    }

    /// <summary>Lower-case name, as Redis spells its parameters (<c>maxclients</c>, <c>proto-max-bulk-len</c>).</summary>
    public string Name { get; }

    /// <summary>The current value as CONFIG GET prints it.</summary>
    public Func<string> Get { get; }

    /// <summary>Returns null when the value is acceptable, else the reason (Redis' wording, without the prefix).</summary>
    public Func<string, string?>? Validate { get; }

    /// <summary>Applies a value <see cref="Validate"/> accepted.</summary>
    public Action<string>? Apply { get; }

    /// <summary>False for parameters fixed at start: CONFIG SET answers "can't set immutable config".</summary>
    public bool IsMutable => Apply is not null;
}
