using System.Diagnostics;

namespace RingKV.Verification;

/// <summary>
/// The linearizability search for one key's register: Wing and Gong's algorithm with Lowe's memoization ("WGL", as in
/// Knossos and Porcupine's <c>checkSingle</c>). Resumable: <see cref="Run"/> stops at a deadline with its state intact
/// and continues from there when called again. Not thread-safe; one search per key.
/// </summary>
/// <remarks>
/// <para>The call and return events of the operations sit in a doubly linked list in real-time order (calls before
/// returns at equal ticks, so equal ticks count as concurrent). Walking the list, a call whose operation the register
/// can apply now is linearized: both its events are unlinked, the (linearized set, register) pair is memoized, and the
/// walk restarts from the head. Reaching a return means that operation cannot be placed before it returned on this
/// path: the last linearized operation is undone and the walk continues after it. An empty list is a linearization;
/// backtracking past the first choice proves there is none. A pair already in the memo is never explored twice.</para>
/// <para>The register state is an index into the operations (the write whose value it holds) or
/// <see cref="NoValue"/>; written values are unique per key, so equal indexes mean equal values.</para>
/// <para>One pruning on top of WGL, sound because values are unique and there are no deletes: while the register
/// holds a value that some read not yet linearized returned, no write may be linearized (the value could never come
/// back for that read). Without it, a write placed too early, typically an unknown write (which may be placed
/// anywhere after its call), is only refuted when its reader comes up, after a search of everything in between.</para>
/// </remarks>
internal sealed class WglSearch
{
    /// <summary>The register before any write: the key is absent.</summary>
    private const int NoValue = -1;
    private const int Nil = -1;

    // Beyond this estimated memo size the key is given up as Unknown: exhaustive searches on highly concurrent
    // histories can fill memory long before they exhaust the time budget.
    private const long MaxMemoBytes = 512L << 20;

    private readonly string _key;
    private readonly Operation[] _ops;
    private readonly bool[] _isWrite;
    private readonly int[] _expected;
    private readonly int[] _readers;
    private readonly int[] _readersDone;
    private readonly ulong[] _zobrist;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly int _head;
    private readonly ulong[] _linearized;
    private readonly int[] _stackCall;
    private readonly int[] _stackRegister;
    private readonly HashSet<SearchState> _memo = [];
    private readonly SearchState _probe;
    private int _fullWords;
    private int _lastWord = -1;
    private long _memoBytes;
    private int _depth;
    private int _register = NoValue;
    private ulong _hash;
    private int _cursor;
    private LinearizabilityStatus? _status;
    private string? _reason;
    private TimeSpan _elapsed;
    private int _bestDepth = -1;
    private int _bestStuck;
    private int _bestRegister;
    private int[] _bestTail = [];
    private ulong[] _bestLinearized = [];

    /// <param name="ops">The operations that take part (non-failed writes and successful reads), in invocation order.</param>
    /// <param name="expected">Per read, the index in <paramref name="ops"/> of the write it observed, or -1 for absence.</param>
    internal WglSearch(string key, Operation[] ops, int[] expected)
    {
        _key = key;
        _ops = ops;
        _expected = expected;
        var n = ops.Length;
        _isWrite = [.. ops.Select(op => op.Kind == OperationKind.Write)];

        // Readers per register value; the last slot counts reads of absence.
        _readers = new int[n + 1];
        _readersDone = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            if (!_isWrite[i])
            {
                _readers[Slot(expected[i])]++;
            }
        }

        var seed = 0x5EED_1234_ABCD_0001UL;
        _zobrist = [.. Enumerable.Range(0, n).Select(_ => SplitMix(ref seed))];
        _linearized = new ulong[(n + 63) / 64];
        _stackCall = new int[n];
        _stackRegister = new int[n];
        _probe = new SearchState(0, default, NoValue, 0);

        // Event 2i is the call of operation i and 2i+1 its return; the head sentinel is 2n.
        _head = 2 * n;
        _next = new int[(2 * n) + 1];
        _prev = new int[(2 * n) + 1];
        var events = Enumerable.Range(0, 2 * n)
            .OrderBy(e => (e & 1) == 0 ? ops[e >> 1].InvokeTicks : ops[e >> 1].EffectiveCompleteTicks)
            .ThenBy(e => e & 1)
            .ThenBy(e => e)
            .ToArray();
        var last = _head;
        foreach (var e in events)
        {
            _next[last] = e;
            _prev[e] = last;
            last = e;
        }

        _next[last] = Nil;
        _cursor = _next[_head];
    }

    public int OperationCount => _ops.Length;

    /// <summary>Searches until decided (returns <see langword="true"/>) or until <paramref name="deadline"/>, a
    /// <see cref="Stopwatch"/> timestamp (returns <see langword="false"/>; call again to resume).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public bool Run(long deadline, CancellationToken cancellation)
    {
        if (_status is not null)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return Search(deadline, cancellation);
        }
        finally
        {
            _elapsed += Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>The verdict so far: <see cref="LinearizabilityStatus.Unknown"/> if <see cref="Run"/> ran out of time.</summary>
    public KeyLinearizability ToResult() => new(
        _key,
        _status ?? LinearizabilityStatus.Unknown,
        _ops.Length,
        _status == LinearizabilityStatus.NotLinearizable ? Witness() : null,
        _status is null ? "time budget exhausted" : _reason,
        _memo.Count,
        _elapsed);

    private bool Search(long deadline, CancellationToken cancellation)
    {
        var steps = 0;
        while (_next[_head] != Nil)
        {
            if ((++steps & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    return false;
                }

                if (_memoBytes > MaxMemoBytes)
                {
                    _status = LinearizabilityStatus.Unknown;
                    _reason = $"search memory limit reached ({MaxMemoBytes >> 20} MiB of memoized states)";
                    return true;
                }
            }

            var e = _cursor;
            var op = e >> 1;
            if ((e & 1) == 0)
            {
                if (TryApply(op, out var after) && Memoize(op, after))
                {
                    _stackCall[_depth] = e;
                    _stackRegister[_depth] = _register;
                    _depth++;
                    _register = after;
                    _hash ^= _zobrist[op];
                    if (!_isWrite[op])
                    {
                        _readersDone[Slot(after)]++;
                    }

                    Lift(e);
                    _cursor = _next[_head];
                }
                else
                {
                    _cursor = _next[e];
                }
            }
            else
            {
                // A return whose call is still in the list: on this path the operation can no longer be placed.
                NoteDeadEnd(op);
                if (_depth == 0)
                {
                    _status = LinearizabilityStatus.NotLinearizable;
                    return true;
                }

                _depth--;
                var call = _stackCall[_depth];
                var undone = call >> 1;
                if (!_isWrite[undone])
                {
                    _readersDone[Slot(_register)]--;
                }

                _register = _stackRegister[_depth];
                _hash ^= _zobrist[undone];
                Clear(undone);
                Unlift(call);
                _cursor = _next[call];
            }
        }

        _status = LinearizabilityStatus.Linearizable;
        return true;
    }

    private bool TryApply(int op, out int after)
    {
        if (_isWrite[op])
        {
            after = op;
            return _readersDone[Slot(_register)] == _readers[Slot(_register)];
        }

        after = _register;
        return _expected[op] == _register;
    }

    /// <summary>Marks <paramref name="op"/> linearized and records the new state; undoes the mark and returns
    /// <see langword="false"/> if that state was explored before.</summary>
    private bool Memoize(int op, int register)
    {
        Set(op);
        var window = new ReadOnlyMemory<ulong>(_linearized, _fullWords, Math.Max(0, _lastWord - _fullWords + 1));
        _probe.FullWords = _fullWords;
        _probe.Window = window;
        _probe.Register = register;
        _probe.Hash = _hash ^ _zobrist[op] ^ Mix(register);
        if (_memo.Contains(_probe))
        {
            Clear(op);
            return false;
        }

        _memo.Add(new SearchState(_fullWords, window.ToArray(), register, _probe.Hash));
        // Object, window array and hash-set slot: what one state really costs on the heap.
        _memoBytes += 96 + (8 * window.Length);
        return true;
    }

    private void Set(int op)
    {
        var word = op >> 6;
        _linearized[word] |= 1UL << op;
        _lastWord = Math.Max(_lastWord, word);
        while (_fullWords < _linearized.Length && _linearized[_fullWords] == ulong.MaxValue)
        {
            _fullWords++;
        }
    }

    private void Clear(int op)
    {
        var word = op >> 6;
        _linearized[word] &= ~(1UL << op);
        _fullWords = Math.Min(_fullWords, word);
        while (_lastWord >= 0 && _linearized[_lastWord] == 0)
        {
            _lastWord--;
        }
    }

    /// <summary>Index into the reader counts: the write's own index, or the last slot for absence.</summary>
    private int Slot(int register) => register == NoValue ? _ops.Length : register;

    private void Lift(int call)
    {
        var ret = call + 1;
        _next[_prev[call]] = _next[call];
        _prev[_next[call]] = _prev[call];
        _next[_prev[ret]] = _next[ret];
        if (_next[ret] != Nil)
        {
            _prev[_next[ret]] = _prev[ret];
        }
    }

    private void Unlift(int call)
    {
        var ret = call + 1;
        _next[_prev[ret]] = ret;
        if (_next[ret] != Nil)
        {
            _prev[_next[ret]] = ret;
        }

        _next[_prev[call]] = call;
        _prev[_next[call]] = call;
    }

    private void NoteDeadEnd(int stuck)
    {
        if (_depth <= _bestDepth)
        {
            return;
        }

        // Improves at most once per depth, so the copies cost O(n^2 / 64) words at worst.
        _bestDepth = _depth;
        _bestStuck = stuck;
        _bestRegister = _register;
        _bestLinearized = (ulong[])_linearized.Clone();
        _bestTail = [.. _stackCall.AsSpan(Math.Max(0, _depth - 3), Math.Min(3, _depth)).ToArray().Select(call => call >> 1)];
    }

    /// <summary>
    /// The operation at which the longest legal prefix got stuck; if it is a write held back by the pruning, the reads
    /// still waiting for the register's value; then, by invocation, the write holding the register, the write a stuck
    /// read needed, the operations concurrent with the stuck one and the last ones placed.
    /// </summary>
    private Anomaly Witness()
    {
        var stuck = _ops[_bestStuck];
        var register = _bestRegister == NoValue ? "nil" : Operation.Quote(_ops[_bestRegister].Value);
        var waiting = _isWrite[_bestStuck]
            ? Enumerable.Range(0, _ops.Length)
                .Where(i => !_isWrite[i] && _expected[i] == _bestRegister && (_bestLinearized[i >> 6] & (1UL << i)) == 0)
                .Take(2)
                .ToArray()
            : [];
        var around = new List<int>();
        if (_bestRegister != NoValue)
        {
            around.Add(_bestRegister);
        }

        if (!_isWrite[_bestStuck] && _expected[_bestStuck] != NoValue)
        {
            around.Add(_expected[_bestStuck]);
        }

        around.AddRange(Enumerable.Range(0, _ops.Length).Where(i =>
            _ops[i].InvokeTicks <= stuck.EffectiveCompleteTicks && stuck.InvokeTicks <= _ops[i].EffectiveCompleteTicks));
        around.AddRange(_bestTail);
        var others = around.Where(i => i != _bestStuck && !waiting.Contains(i)).Distinct().Take(10).OrderBy(i => _ops[i].InvokeTicks);

        var prefix = $"no legal order of its {_ops.Length} operations: the longest legal prefix found places {_bestDepth} and leaves the register at {register}; then ";
        var why = !_isWrite[_bestStuck]
            ? $"the first operation below cannot take effect before it returns, as it read {Operation.Quote(stuck.Value)}"
            : waiting.Length > 0
                ? $"the first operation below, a write, must take effect before it returns, but would overwrite {register}, which the next {(waiting.Length == 1 ? "read" : "reads")} below returned"
                : "the first operation below cannot take effect before it returns";
        return new Anomaly(
            AnomalyKind.NotLinearizable,
            _key,
            prefix + why,
            [stuck, .. waiting.Select(i => _ops[i]), .. others.Select(i => _ops[i])]);
    }

    private static ulong Mix(int register)
    {
        var z = (ulong)(register + 2) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
