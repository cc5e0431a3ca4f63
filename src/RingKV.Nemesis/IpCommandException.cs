namespace RingKV.Nemesis;

/// <summary>An <c>ip</c> invocation failed or did not finish in time; the message holds the command line and its stderr.</summary>
public sealed class IpCommandException : Exception
{
    public IpCommandException(string command, int? exitCode, string standardError, Exception? inner = null)
        : base($"`{command}` {(exitCode is { } code ? $"exited with {code}" : "timed out")}: {standardError.Trim()}", inner)
    {
        Command = command;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public IpCommandException()
        : this("ip", null, "")
    {
    }

    public IpCommandException(string message)
        : base(message)
    {
        Command = "ip";
        StandardError = "";
    }

    public IpCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "ip";
        StandardError = "";
    }

    /// <summary>The command line as run.</summary>
    public string Command { get; }

    /// <summary>Null when the command timed out and was killed.</summary>
    public int? ExitCode { get; }

    public string StandardError { get; }
}
