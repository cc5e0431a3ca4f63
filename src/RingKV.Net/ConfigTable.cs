namespace RingKV.Net;

/// <summary>
/// The parameters a role exposes to CONFIG GET / SET, built by the role (see <see cref="ServerSession.ConnectionConfig"/>
/// for the ones every role shares). Names are matched case-insensitively, like Redis.
/// </summary>
/// <remarks>
/// Filled once, then only read: concurrent readers are safe once construction is done. The values behind the
/// entries may change concurrently; see <see cref="ConfigEntry"/>.
/// </remarks>
public sealed class ConfigTable
{
    private readonly List<ConfigEntry> _entries = [];

    public IReadOnlyList<ConfigEntry> Entries => _entries;

    /// <summary>Resets the role's INFO counters on CONFIG RESETSTAT (which answers OK either way); null when it has none.</summary>
    public Action? ResetStatistics { get; set; }

    /// <summary>Adds a parameter fixed for the life of the process.</summary>
    public ConfigTable Constant(string name, string value) => Add(new ConfigEntry(name, () => value));

    /// <summary>Adds a parameter whose value may change but not through CONFIG SET.</summary>
    public ConfigTable ReadOnly(string name, Func<string> get) => Add(new ConfigEntry(name, get));

    /// <summary>Adds a parameter CONFIG SET may change; see <see cref="ConfigEntry"/> for the contract.</summary>
    public ConfigTable Settable(string name, Func<string> get, Func<string, string?> validate, Action<string> apply) =>
        Add(new ConfigEntry(name, get, validate, apply));

    /// <exception cref="ArgumentException">A parameter with that name exists already.</exception>
    public ConfigTable Add(ConfigEntry entry)
    {
        if (Find(entry.Name) is not null)
        {
            throw new ArgumentException($"config parameter '{entry.Name}' is defined twice");
        }
        _entries.Add(entry);
        return this;
    }

    /// <summary>Replaces the parameter of the same name (a role overriding a shared default).</summary>
    public ConfigTable Replace(ConfigEntry entry)
    {
        var index = _entries.FindIndex(e => e.Name.Equals(entry.Name, StringComparison.OrdinalIgnoreCase));
        if (index < 0) { _entries.Add(entry); }
        else { _entries[index] = entry; }
        return this;
    }

    public ConfigEntry? Find(string name) => _entries.Find(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
