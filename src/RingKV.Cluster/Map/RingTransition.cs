using System.Collections.Immutable;
using RingKV.Placement;

namespace RingKV.Cluster.Map;

/// <summary>
/// A membership change in progress: the ring moves from the map's members to <see cref="Target"/> one slot at a
/// time. See docs/adr/0006-rebalancing-joint-quorums.md for why this is safe.
/// </summary>
/// <param name="Id">The epoch that started the transition; gainers stream only once every live node has seen it.</param>
/// <param name="Target">The node ids of the ring being moved to, ordinal order.</param>
/// <param name="Settled">
/// Slots whose gainers have all copied them: reads and primaries use the target list for these, the current list
/// for the rest. Writes go to both lists (a quorum in each) for every slot until the transition finishes.
/// </param>
/// <param name="Aborting">
/// The transition is being abandoned (a gainer was removed): nothing is settled any more, and once every live
/// node has seen that, the target is dropped and the ring stays as it was.
/// </param>
public sealed record RingTransition(long Id, ImmutableArray<string> Target, SlotSet Settled, bool Aborting = false);
