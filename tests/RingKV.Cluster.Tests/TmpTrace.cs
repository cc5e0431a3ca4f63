using RingKV.Cluster.Coordinator;
namespace RingKV.Cluster.Tests;
public sealed class TmpTrace : IDisposable
{
    private readonly TestCoordinator _cluster = new();
    public void Dispose() => _cluster.Dispose();
    [Fact]
    public void Trace()
    {
        var m = TestCoordinator.Ring(_cluster.Start(), 1);
        TestCoordinator.Register(m, 2);
        var log = new List<string>();
        void Snap(string what) => log.Add($"{what}: epoch {m.Map.Epoch} members [{string.Join(",", m.Map.Members)}] nodes [{string.Join(",", m.Map.Nodes.Select(n => n.Id + (n.Leaving ? "(L)" : "")))}] transition {(m.Map.Transition is { } t ? $"{t.Id} -> [{string.Join(",", t.Target)}] aborting={t.Aborting} settled={t.Settled.Count}" : "none")}");
        Snap("join");
        log.Add(m.Decommission("node-1").ToString()); Snap("dec1");
        log.Add(m.Decommission("node-2").ToString()); Snap("dec2");
        for (var i = 0; i < 4; i++) { TestCoordinator.ConfirmEpoch(m); m.Tick(); Snap("tick"); }
        Assert.Fail(string.Join("\n", log));
    }
}
