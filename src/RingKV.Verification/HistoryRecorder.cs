using System.Diagnostics;

namespace RingKV.Verification;

/// <summary>
/// Collects a <see cref="History"/> while a workload runs: each logical client calls <see cref="Invoke"/> just before
/// sending a request and <see cref="Complete"/> as soon as it has the answer (or has given up), so each recorded
/// interval contains the moment the store acted.
/// </summary>
/// <remarks>
/// Thread-safe: any number of clients may record concurrently (one lock, held only to read the clock and append, so the
/// recorded order of invocations is the clock's order). A process may have at most one operation outstanding; a
/// client that gives up on an operation completes it as <see cref="Outcome.Unknown"/> before issuing the next one.
/// </remarks>
public sealed class HistoryRecorder
{
    private readonly Func<long> _clock;
    private readonly Lock _gate = new();
    private readonly List<Operation> _operations = [];
    private readonly Dictionary<int, int> _outstandingByProcess = [];

    /// <param name="clock">A monotonic clock shared by all processes; <see cref="Stopwatch.GetTimestamp"/> by default.
    /// Tests pass their own to drive time.</param>
    public HistoryRecorder(Func<long>? clock = null) => _clock = clock ?? Stopwatch.GetTimestamp;

    /// <summary>Number of operations invoked so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _operations.Count;
            }
        }
    }

    /// <summary>Records the start of an operation, stamped with the clock.</summary>
    /// <param name="value">The value to write; must be <see langword="null"/> for reads.</param>
    /// <exception cref="InvalidOperationException"><paramref name="process"/> already has an operation outstanding.</exception>
    /// <exception cref="ArgumentException">A write without a value, a read with one, or an undefined kind.</exception>
    public OperationHandle Invoke(int process, OperationKind kind, string key, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"undefined operation kind {kind}", nameof(kind));
        }

        if ((kind == OperationKind.Write) != (value is not null))
        {
            throw new ArgumentException("a write needs a value and a read must not have one", nameof(value));
        }

        lock (_gate)
        {
            if (_outstandingByProcess.TryGetValue(process, out var pending))
            {
                throw new InvalidOperationException(
                    $"process {process} already has an operation outstanding ({_operations[pending]}); complete it first");
            }

            var index = _operations.Count;
            _operations.Add(new Operation(process, kind, key, value, _clock(), long.MaxValue, Outcome.Unknown));
            _outstandingByProcess[process] = index;
            return new OperationHandle(index, process);
        }
    }

    /// <summary>Records the end of an operation, stamped with the clock.</summary>
    /// <param name="readValue">For an <see cref="Outcome.Ok"/> read, the value returned (<see langword="null"/> when
    /// absent); ignored for reads that did not succeed; must be <see langword="null"/> for writes.</param>
    /// <param name="note">The error text, for people reading a report.</param>
    /// <exception cref="InvalidOperationException">The handle is already completed or not from this recorder, or the
    /// clock went backwards.</exception>
    /// <exception cref="ArgumentException">A write completed with a read value, or an undefined outcome.</exception>
    public void Complete(OperationHandle handle, Outcome outcome, string? readValue = null, string? note = null)
    {
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentException($"undefined outcome {outcome}", nameof(outcome));
        }

        lock (_gate)
        {
            if (!_outstandingByProcess.TryGetValue(handle.Process, out var index) || index != handle.Index)
            {
                throw new InvalidOperationException($"operation {handle.Index} of process {handle.Process} is not outstanding");
            }

            var invoked = _operations[index];
            if (invoked.Kind == OperationKind.Write && readValue is not null)
            {
                throw new ArgumentException("a write has no read value", nameof(readValue));
            }

            var now = _clock();
            if (now < invoked.InvokeTicks)
            {
                throw new InvalidOperationException($"the clock went backwards: {now} < {invoked.InvokeTicks}");
            }

            var value = invoked.Kind == OperationKind.Write ? invoked.Value : outcome == Outcome.Ok ? readValue : null;
            _operations[index] = invoked with { Value = value, CompleteTicks = now, Outcome = outcome, Note = note };
            _outstandingByProcess.Remove(handle.Process);
        }
    }

    /// <summary>
    /// A snapshot of everything recorded so far. Operations still outstanding appear as <see cref="Outcome.Unknown"/>
    /// with <see cref="Operation.CompleteTicks"/> = <see cref="long.MaxValue"/>; the recorder stays usable.
    /// </summary>
    /// <param name="finalReads">The value of each key read after the cluster was healed (see <see cref="History"/>).</param>
    public History ToHistory(IReadOnlyDictionary<string, string?>? finalReads = null)
    {
        Operation[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _operations];
        }

        return new History(snapshot, finalReads);
    }
}
