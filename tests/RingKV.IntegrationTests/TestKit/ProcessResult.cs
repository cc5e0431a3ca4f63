namespace RingKV.IntegrationTests.TestKit;

/// <summary>How an <see cref="ExternalProcess"/> run ended.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}, stdout '{StandardOutput.TrimEnd()}', stderr '{StandardError.TrimEnd()}'";
}
