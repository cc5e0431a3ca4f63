namespace RingKV.Verification;

/// <summary>Counts anomalies by kind and keeps the first few as examples, so a huge bad history stays printable.</summary>
internal sealed class AnomalyLog(int maxExamples)
{
    private readonly int[] _counts = new int[Enum.GetValues<AnomalyKind>().Length];
    private readonly List<Anomaly> _examples = [];

    public IReadOnlyList<Anomaly> Examples => _examples;

    public int this[AnomalyKind kind] => _counts[(int)kind];

    public void Add(Anomaly anomaly)
    {
        _counts[(int)anomaly.Kind]++;
        if (_examples.Count < maxExamples)
        {
            _examples.Add(anomaly);
        }
    }

    public void AddRange(IEnumerable<Anomaly> anomalies)
    {
        foreach (var anomaly in anomalies)
        {
            Add(anomaly);
        }
    }

    internal static int CheckLimit(int maxExamples) =>
        maxExamples >= 0 ? maxExamples : throw new ArgumentOutOfRangeException(nameof(maxExamples), maxExamples, "must be >= 0");
}
