namespace RingKV.Cli.Hosting;

/// <summary>A configuration file that cannot be used: missing, not JSON, or with keys no role has. The message says which.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message) : base(message)
    {
    }

    public ConfigurationException(string message, Exception inner) : base(message, inner)
    {
    }
}
