using RingKV.Fuzz;
using RingKV.Fuzz.Servers;

// The long campaign (bench/fuzz.sh): every target in turn for its share of the time, against a redis-server and a
// one-node RingKV cluster started here. Prints iterations, findings and the seeds; saves findings to the corpus.
// Exit code 1 when anything was found, 2 on bad arguments.
var minutes = 10.0;
var seed = Environment.TickCount & 0x7fffffff;
var targets = FuzzTargets.All;
string? corpusDirectory = null;
long iterations = long.MaxValue;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--minutes" when i + 1 < args.Length:
            minutes = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--seed" when i + 1 < args.Length:
            seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--iterations" when i + 1 < args.Length:
            iterations = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--targets" when i + 1 < args.Length:
            targets = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        case "--corpus" when i + 1 < args.Length:
            corpusDirectory = args[++i];
            break;
        default:
            Console.Error.WriteLine("usage: ringkv-fuzz [--minutes M] [--seed S] [--iterations N] [--targets parser,command,differential] [--corpus DIR]");
            return 2;
    }
}
if (targets.Except(FuzzTargets.All).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"unknown target '{unknown}' (known: {string.Join(", ", FuzzTargets.All)})");
    return 2;
}

var corpus = corpusDirectory is null ? [] : Corpus.Load(corpusDirectory);
var streams = corpus.Select(entry => entry.Bytes).ToList();
Console.WriteLine($"fuzz: targets {string.Join(",", targets)}, {minutes} min, seed {seed}, corpus {corpus.Count} streams from {corpusDirectory ?? "(none)"}");
var share = TimeSpan.FromMinutes(minutes / targets.Length);
var needsServers = targets.Any(t => t != FuzzTargets.Parser);
await using var ringkv = needsServers ? await RingKvNode.StartAsync() : null;
await using var redis = targets.Contains(FuzzTargets.Differential) ? await RedisServer.StartAsync(TimeSpan.FromMinutes(minutes + 5)) : null;
void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

var results = new List<CampaignResult>();
foreach (var target in targets)
{
    var campaign = target switch
    {
        FuzzTargets.Parser => FuzzTargets.ParserCampaign(streams, Log),
        FuzzTargets.CommandLayer => FuzzTargets.CommandLayerCampaign(ringkv!, streams, Log),
        _ => FuzzTargets.DifferentialCampaign(redis!, ringkv!, streams, Log),
    };
    var replayFailures = 0;
    foreach (var (name, bytes) in corpus)
    {
        if (await campaign.CheckAsync(bytes, 0) is { } failure)
        {
            replayFailures++;
            Log($"{target}: corpus {name} fails: {failure}");
        }
    }
    Log($"{target}: corpus replayed, {replayFailures} of {corpus.Count} fail; fuzzing for {share.TotalMinutes:0.#} min");
    var result = await campaign.RunAsync(seed, iterations, share);
    results.Add(result);
    Log(result.ToString());
    if (campaign.Notes is not null)
    {
        Log($"{target}: {campaign.Notes()}");
    }
    foreach (var finding in result.Findings)
    {
        Console.WriteLine(finding);
        if (corpusDirectory is not null)
        {
            Console.WriteLine($"  saved to {Corpus.Save(corpusDirectory, finding)}");
        }
    }
}

Console.WriteLine();
Console.WriteLine("fuzz summary:");
foreach (var result in results)
{
    Console.WriteLine("  " + result);
}
var found = results.Sum(r => r.Findings.Count);
Console.WriteLine($"fuzz: {results.Sum(r => r.Iterations)} iterations, {found} distinct findings, seed {seed}");
return found == 0 ? 0 : 1;
