using System.Collections;

namespace RingKV.IntegrationTests.TestKit;

/// <summary>Environment variables for a <c>ringkv</c> child process whose RINGKV_* configuration a test controls.</summary>
public static class RoleEnvironment
{
    /// <summary>
    /// Removes every RINGKV_* variable of the test process (CI sets some, and a developer's shell may set any that a
    /// role reads), then sets <paramref name="variables"/>. Pass the result to RingKvCli or ManagedProcess.
    /// </summary>
    public static Dictionary<string, string?> Only(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string?>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("RINGKV_", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }
        return environment;
    }
}
