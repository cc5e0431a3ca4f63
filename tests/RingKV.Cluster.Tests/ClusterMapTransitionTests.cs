using System.Text.Json.Nodes;
using RingKV.Cluster.Map;
using RingKV.Placement;

namespace RingKV.Cluster.Tests;

/// <summary>Members, transitions and the lists derived from them.</summary>
public class ClusterMapTransitionTests
{
    private const int Factor = 2;

    private static readonly NodeEntry[] Nodes =
        [TestMaps.Node(1), TestMaps.Node(2, NodeState.Down), TestMaps.Node(3), TestMaps.Node(4), TestMaps.Node(5)];

    /// <summary>Slots 0, 3, 6, ...: an arbitrary settled set, so both kinds of slot occur among moving ones.</summary>
    private static readonly SlotSet EveryThird = SlotSet.Where(slot => slot % 3 == 0);

    /// <summary>node-4 joins node-1..3; node-5 is known but waits.</summary>
    private static readonly ClusterMap Joining = Map(["node-1", "node-2", "node-3"], ["node-1", "node-2", "node-3", "node-4"], EveryThird);

    /// <summary>node-3 leaves node-1..4.</summary>
    private static readonly ClusterMap Leaving = Map(["node-1", "node-2", "node-3", "node-4"], ["node-1", "node-2", "node-4"], EveryThird);

    private static ClusterMap Map(string[] members, string[]? target = null, SlotSet? settled = null, bool aborting = false) =>
        new(9, Factor, TestMaps.VirtualNodes, Nodes, members,
            target is null ? null : new RingTransition(8, [.. target], settled ?? SlotSet.Empty, aborting));

    /// <summary>A stable map whose ring is <paramref name="members"/>: what the current or target lists must equal.</summary>
    private static ClusterMap Stable(IEnumerable<string> members) => new(9, Factor, TestMaps.VirtualNodes, Nodes, members);

    private static string[] Ids(IEnumerable<NodeEntry> nodes) => [.. nodes.Select(n => n.Id)];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromJson_OfToJson_PreservesMembersAndTransition(bool aborting)
    {
        var map = Map(["node-3", "node-1", "node-2"], ["node-4", "node-1", "node-2", "node-3"], EveryThird, aborting);

        var copy = ClusterMap.FromJson(map.ToJson());

        Assert.Equal(map.Epoch, copy.Epoch);
        Assert.Equal<NodeEntry>(map.Nodes, copy.Nodes);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], copy.Members);
        Assert.NotNull(copy.Transition);
        Assert.Equal(8, copy.Transition.Id);
        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4"], copy.Transition.Target);
        Assert.Equal(EveryThird, copy.Transition.Settled);
        Assert.Equal(aborting, copy.Transition.Aborting);
        for (var slot = 0; slot < HashSlot.Count; slot += 7)
        {
            Assert.Equal(Ids(map.PreferenceList(slot)), Ids(copy.PreferenceList(slot)));
            Assert.Equal(Ids(map.WriteReplicas(slot).All), Ids(copy.WriteReplicas(slot).All));
        }
    }

    [Fact]
    public void ToJson_TransitionWrittenWithSlotRanges()
    {
        var map = Map(["node-1"], ["node-1", "node-4"], SlotSet.Parse("0-99,512"));

        var root = JsonNode.Parse(map.ToJson())!;

        Assert.Equal(["node-1"], root["members"]!.AsArray().Select(n => n!.GetValue<string>()));
        var transition = root["transition"]!;
        Assert.Equal(8, transition["id"]!.GetValue<long>());
        Assert.Equal(["node-1", "node-4"], transition["target"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("0-99,512", transition["settled"]!.GetValue<string>());
        Assert.False(transition["aborting"]!.GetValue<bool>());
    }

    [Fact]
    public void ToJson_NoTransition_NoTransitionProperty()
    {
        var root = JsonNode.Parse(Stable(["node-1", "node-2"]).ToJson())!.AsObject();

        Assert.False(root.ContainsKey("transition"));
        Assert.Null(ClusterMap.FromJson(root.ToJsonString()).Transition);
    }

    [Fact]
    public void FromJson_DocumentWithoutMembers_EveryNodeIsAMember()
    {
        var root = JsonNode.Parse(Stable(["node-1"]).ToJson())!.AsObject();
        Assert.True(root.Remove("members"));

        var copy = ClusterMap.FromJson(root.ToJsonString());

        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4", "node-5"], copy.Members);
        Assert.Null(copy.Transition);
        Assert.All(copy.Nodes, n => Assert.Equal(MemberStatus.Member, copy.StatusOf(n.Id)));
    }

    [Fact]
    public void FromJson_PreRebalancingDocument_EveryNodeIsAMember()
    {
        const string json = """
            {"epoch":4,"replicationFactor":2,"virtualNodesPerNode":16,"nodes":[
              {"id":"node-1","host":"127.0.0.1","port":5001,"state":"UP"},
              {"id":"node-2","host":"127.0.0.1","port":5002,"state":"DOWN"}]}
            """;

        var map = ClusterMap.FromJson(json);

        Assert.Equal<string>(["node-1", "node-2"], map.Members);
        Assert.Null(map.Transition);
        Assert.False(map.Find("node-1")!.Leaving);
        Assert.Equal(["node-1", "node-2"], Ids(map.PreferenceList(0)).Order().ToArray());
    }

    [Fact]
    public void FromJson_LeavingFlag_RoundTrips()
    {
        var map = new ClusterMap(3, Factor, TestMaps.VirtualNodes, [TestMaps.Node(1), TestMaps.Node(2) with { Leaving = true }]);

        var copy = ClusterMap.FromJson(map.ToJson());

        Assert.True(copy.Find("node-2")!.Leaving);
        Assert.False(copy.Find("node-1")!.Leaving);
    }

    private const string Prefix = """{"epoch":3,"replicationFactor":2,"virtualNodesPerNode":16,"nodes":[{"id":"a","host":"h","port":1,"state":"UP"},{"id":"b","host":"h","port":2,"state":"UP"}]""";

    [Theory]
    [InlineData(Prefix + ""","members":["a","x"]}""")]
    [InlineData(Prefix + ""","members":[null]}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","x"],"settled":"-","aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":[null],"settled":"-","aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"settled":"-","aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","b"],"aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","b"],"settled":"zero","aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","b"],"settled":"0-16384","aborting":false}}""")]
    [InlineData(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","b"],"settled":"","aborting":false}}""")]
    [InlineData(Prefix + ""","members":"a"}""")]
    public void FromJson_BadMembersOrTransition_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => ClusterMap.FromJson(json));

    [Fact]
    public void FromJson_ValidPrefix_Parses()
    {
        var map = ClusterMap.FromJson(Prefix + ""","members":["a"],"transition":{"id":3,"target":["a","b"],"settled":"0-10","aborting":false}}""");

        Assert.Equal<string>(["a"], map.Members);
        Assert.Equal(SlotSet.Parse("0-10"), map.Transition!.Settled);
    }

    [Fact]
    public void Constructor_UnknownMemberOrTarget_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new ClusterMap(1, Factor, TestMaps.VirtualNodes, Nodes, ["node-1", "node-9"]));
        Assert.Throws<ArgumentException>(() => new ClusterMap(1, Factor, TestMaps.VirtualNodes, Nodes, ["node-1"],
            new RingTransition(1, ["node-1", "node-9"], SlotSet.Empty)));
    }

    [Fact]
    public void Constructor_MembersAndTargetSortedAndDistinct()
    {
        var map = Map(["node-3", "node-1", "node-3"], ["node-4", "node-1", "node-4"]);

        Assert.Equal<string>(["node-1", "node-3"], map.Members);
        Assert.Equal<string>(["node-1", "node-4"], map.Transition!.Target);
    }

    [Fact]
    public void Constructor_EmptyMembers_NodesWaitAndNothingRoutes()
    {
        var map = Stable([]);

        Assert.Empty(map.Members);
        Assert.Empty(map.PreferenceList(0));
        Assert.All(map.Nodes, n => Assert.Equal(MemberStatus.Waiting, map.StatusOf(n.Id)));
    }

    [Fact]
    public void Ring_BuiltFromMembersOnly()
    {
        Assert.Equal(["node-1", "node-2", "node-3"], Joining.Ring.Nodes);
        Assert.Equal(["node-1", "node-2", "node-3", "node-4"], Joining.TargetRing!.Nodes);
        Assert.Null(Stable(["node-1"]).TargetRing);
    }

    [Fact]
    public void PreferenceList_TargetListOnlyForSettledSlots()
    {
        var current = Stable(Joining.Members);
        var target = Stable(Joining.Transition!.Target);
        var differing = 0;

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var expected = EveryThird.Contains(slot) ? target.PreferenceList(slot) : current.PreferenceList(slot);
            Assert.Equal(Ids(expected), Ids(Joining.PreferenceList(slot)));
            if (!Ids(target.PreferenceList(slot)).SequenceEqual(Ids(current.PreferenceList(slot))))
            {
                differing++;
            }
        }
        // Otherwise the test would not tell the lists apart.
        Assert.True(differing > 0);
    }

    [Fact]
    public void PreferenceList_EntriesCarryNodeState()
    {
        for (var slot = 0; slot < HashSlot.Count; slot += 13)
        {
            Assert.All(Joining.PreferenceList(slot), n => Assert.Same(Joining.Find(n.Id), n));
        }
    }

    [Fact]
    public void WriteReplicas_TargetOnlyWhereListsDiffer()
    {
        var current = Stable(Joining.Members);
        var target = Stable(Joining.Transition!.Target);
        var withTarget = 0;

        for (var slot = 0; slot < HashSlot.Count; slot++)
        {
            var replicas = Joining.WriteReplicas(slot);
            var currentIds = Ids(current.PreferenceList(slot));
            var targetIds = Ids(target.PreferenceList(slot));
            // Settled or not, writes go to the current list...
            Assert.Equal(currentIds, Ids(replicas.Current));
            if (currentIds.SequenceEqual(targetIds))
            {
                Assert.Null(replicas.Target);
                Assert.Equal(currentIds, Ids(replicas.All));
            }
            else
            {
                // ...and to the target list where it differs.
                Assert.NotNull(replicas.Target);
                Assert.Equal(targetIds, Ids(replicas.Target));
                Assert.Equal(currentIds.Concat(targetIds.Except(currentIds)), Ids(replicas.All));
                withTarget++;
            }
        }
        Assert.Equal(Joining.MovingSlots().Count, withTarget);
        Assert.True(withTarget > 0);
    }

    [Fact]
    public void WriteReplicas_NoTransition_CurrentListOnly()
    {
        var map = Stable(["node-1", "node-2", "node-3"]);

        for (var slot = 0; slot < HashSlot.Count; slot += 11)
        {
            var replicas = map.WriteReplicas(slot);
            Assert.Null(replicas.Target);
            Assert.Equal(Ids(map.PreferenceList(slot)), Ids(replicas.Current));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OwnedByAndGainedBy_ConsistentWithCurrentAndTargetRings(bool join)
    {
        var map = join ? Joining : Leaving;
        var current = Stable(map.Members);
        var target = Stable(map.Transition!.Target);
        var moving = map.MovingSlots();
        var anyGained = SlotSet.Empty;

        foreach (var node in map.Nodes)
        {
            var owned = map.OwnedBy(node.Id);
            var gained = map.GainedBy(node.Id);
            var currentOwned = current.OwnedBy(node.Id);
            var targetOwned = target.OwnedBy(node.Id);

            Assert.Equal(currentOwned.Union(targetOwned), owned);
            Assert.Equal(targetOwned.Except(currentOwned), gained);
            Assert.Equal(gained, gained.Intersect(targetOwned));
            Assert.True(gained.Intersect(currentOwned).IsEmpty);
            Assert.Equal(gained, gained.Intersect(moving));
            anyGained = anyGained.Union(gained);
        }
        // Every slot whose list changes gains a node here (RF 2 over at least 3 nodes).
        Assert.Equal(moving, anyGained);
        Assert.Empty(map.OwnedBy("node-5"));
        Assert.Empty(map.GainedBy("node-5"));
    }

    [Fact]
    public void OwnedBy_StableRing_EverySlotOwnedByFactorNodes()
    {
        var map = Stable(["node-1", "node-2", "node-3"]);
        var counts = new int[HashSlot.Count];

        foreach (var id in map.Members)
        {
            Assert.Empty(map.GainedBy(id));
            foreach (var slot in map.OwnedBy(id))
            {
                counts[slot]++;
            }
        }

        Assert.All(counts, c => Assert.Equal(Factor, c));
        Assert.Empty(map.MovingSlots());
    }

    [Fact]
    public void MovingSlots_ExactlyTheSlotsWhoseListsDiffer()
    {
        var current = Stable(Leaving.Members);
        var target = Stable(Leaving.Transition!.Target);

        var expected = SlotSet.Where(slot => !Ids(current.PreferenceList(slot)).SequenceEqual(Ids(target.PreferenceList(slot))));

        Assert.Equal(expected, Leaving.MovingSlots());
        Assert.False(expected.IsEmpty);
        Assert.Equal(expected, current.OwnedBy("node-3"));
    }

    [Fact]
    public void StatusOf_AllFourStatuses()
    {
        // node-1, node-2 stay; node-3 leaves; node-4 joins; node-5 waits.
        var map = Map(["node-1", "node-2", "node-3"], ["node-1", "node-2", "node-4"]);

        Assert.Equal(MemberStatus.Member, map.StatusOf("node-1"));
        Assert.Equal(MemberStatus.Member, map.StatusOf("node-2"));
        Assert.Equal(MemberStatus.Leaving, map.StatusOf("node-3"));
        Assert.Equal(MemberStatus.Joining, map.StatusOf("node-4"));
        Assert.Equal(MemberStatus.Waiting, map.StatusOf("node-5"));
    }

    [Fact]
    public void StatusOf_NoTransition_MembersAndWaiting()
    {
        var map = Stable(["node-1", "node-2"]);

        Assert.Equal(MemberStatus.Member, map.StatusOf("node-1"));
        Assert.Equal(MemberStatus.Member, map.StatusOf("node-2"));
        Assert.Equal(MemberStatus.Waiting, map.StatusOf("node-3"));
    }

    [Fact]
    public void WithRing_ReplacesMembersAndTransitionAndAdvancesEpoch()
    {
        var next = Joining.WithRing(Joining.Transition!.Target, null);

        Assert.Equal(Joining.Epoch + 1, next.Epoch);
        Assert.Equal<string>(["node-1", "node-2", "node-3", "node-4"], next.Members);
        Assert.Null(next.Transition);
        Assert.Equal<NodeEntry>(Joining.Nodes, next.Nodes);
        Assert.Equal<string>(["node-1", "node-2", "node-3"], Joining.Members);
    }

    [Fact]
    public void WithNode_KeepsMembersAndTransition()
    {
        var next = Joining.WithNode(TestMaps.Node(6));

        Assert.Equal<string>(Joining.Members, next.Members);
        Assert.Equal(Joining.Transition!.Id, next.Transition!.Id);
        Assert.Equal<string>(Joining.Transition.Target, next.Transition.Target);
        Assert.Equal(Joining.Transition.Settled, next.Transition.Settled);
        Assert.Equal(MemberStatus.Waiting, next.StatusOf("node-6"));
    }
}
