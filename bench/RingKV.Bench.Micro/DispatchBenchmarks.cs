using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using RingKV.Cluster;
using RingKV.Node.Commands;
using RingKV.Node.Replication;
using RingKV.Placement;
using RingKV.Protocol;
using RingKV.Protocol.Commands;

namespace RingKV.Bench.Micro;

/// <summary>
/// A node's command path end to end without sockets: <c>NodeSession.ExecuteAsync</c> for a parsed GET and SET of a
/// 100-byte value on a single-node (RF=1) in-memory node, reply written to a reused buffer. This is everything a
/// request costs between the parser and the socket write (lookup, validation, routing, HLC, store, reply), so its
/// Allocated column is the headline: the target is zero bytes per GET/SET in steady state. The <c>Primary*</c>
/// benchmarks run the same commands at <c>PrimaryExecutor</c> directly, to split the session's share from the
/// primary's. 10,000 keys are stored first; the benchmarks read and overwrite one of them.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const int Keys = 10_000;

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly RespRequest _get = new();
    private readonly RespRequest _set = new();
    private InMemoryNode _node = null!;
    private NodeSession _session = null!;
    private ReadOnlyMemory<byte>[] _getArgs = [];
    private ReadOnlyMemory<byte>[] _setArgs = [];
    private int _slot;

    [GlobalSetup]
    public void Setup()
    {
        _node = new InMemoryNode();
        _session = _node.OpenSession();
        _session.Writer.Reset(_output);
        var value = Encoding.ASCII.GetString(Values.Payload(100));
        var populate = new RespRequest();
        for (var i = 0; i < Keys; i++)
        {
            Run(populate, CodecBenchmarks.Frame("SET", Encoding.ASCII.GetString(Values.Key(i)), value), "+OK\r\n");
        }

        // The requests stay parsed for the whole run: their arguments are slices of these frames, as of a receive buffer.
        var key = Encoding.ASCII.GetString(Values.Key(123));
        Parse(_get, CodecBenchmarks.Frame("GET", key));
        Parse(_set, CodecBenchmarks.Frame("SET", key, value));
        Check(_set, "+OK\r\n");
        Check(_get, $"$100\r\n{value}\r\n");
        _getArgs = [.. Enumerable.Range(0, _get.Count).Select(_get.Memory)];
        _setArgs = [.. Enumerable.Range(0, _set.Count).Select(_set.Memory)];
        _slot = HashSlot.ForKey(_get[1]);
    }

    [GlobalCleanup]
    public void Cleanup() => _node.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public ValueTask SessionGet()
    {
        _output.ResetWrittenCount();
        return _session.ExecuteAsync(_get);
    }

    [Benchmark]
    public ValueTask SessionSet()
    {
        _output.ResetWrittenCount();
        return _session.ExecuteAsync(_set);
    }

    [Benchmark]
    public ValueTask<KeyReply> PrimaryGet() =>
        _node.Primary.ExecuteAsync(RespCommand.Get, _getArgs, _slot, Consistency.Quorum, Consistency.Quorum);

    [Benchmark]
    public ValueTask<KeyReply> PrimarySet() =>
        _node.Primary.ExecuteAsync(RespCommand.Set, _setArgs, _slot, Consistency.Quorum, Consistency.Quorum);

    private static void Parse(RespRequest request, byte[] frame)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
        if (!RespRequestParser.TryParse(ref reader, request, RespLimits.Default))
        {
            throw new InvalidOperationException("incomplete frame");
        }
    }

    private void Run(RespRequest request, byte[] frame, string expected)
    {
        Parse(request, frame);
        Check(request, expected);
    }

    /// <summary>Runs the request once and fails the setup unless it answered <paramref name="expected"/>, so no benchmark measures an error path.</summary>
    private void Check(RespRequest request, string expected)
    {
        _output.ResetWrittenCount();
        var pending = _session.ExecuteAsync(request);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
        var reply = Encoding.ASCII.GetString(_output.WrittenSpan);
        if (reply != expected)
        {
            throw new InvalidOperationException($"{request.GetString(0)} answered {reply.Trim()}, expected {expected.Trim()}");
        }
    }
}
