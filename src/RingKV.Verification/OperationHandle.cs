namespace RingKV.Verification;

/// <summary>
/// Names an operation invoked on a <see cref="HistoryRecorder"/>, to be passed back to
/// <see cref="HistoryRecorder.Complete"/> exactly once. Only meaningful for the recorder that issued it.
/// </summary>
public readonly record struct OperationHandle
{
    internal OperationHandle(int index, int process)
    {
        Index = index;
        Process = process;
    }

    /// <summary>Position of the operation in the recorder's invocation order.</summary>
    internal int Index { get; }

    public int Process { get; }
}
