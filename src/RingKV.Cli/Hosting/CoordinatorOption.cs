using System.CommandLine;
using RingKV.Cluster.Client;

namespace RingKV.Cli.Hosting;

/// <summary>
/// <c>--coordinator/-c</c> of the node role and the operator verbs: one coordinator or the whole group, as
/// <c>host:port[,host:port...]</c>, checked at parse time (a typo is a usage error, not a failure at the first call).
/// </summary>
public static class CoordinatorOption
{
    public const string DefaultValue = "127.0.0.1:5000";

    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--coordinator", "-c") { Description = description, DefaultValueFactory = _ => DefaultValue, HelpName = "host:port[,host:port...]" };
        option.Validators.Add(result =>
        {
            try
            {
                _ = CoordinatorLink.ParseEndpoints(result.GetValueOrDefault<string>());
            }
            catch (FormatException ex)
            {
                result.AddError($"--coordinator: {ex.Message}");
            }
        });
        return option;
    }
}
