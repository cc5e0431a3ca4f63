using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using RingKV.Protocol;

namespace RingKV.Bench.Micro;

/// <summary>
/// The RESP codec on its own: framing a request out of a receive buffer (as <c>RespServer</c> does for every
/// request) and writing the common replies. Every request and reply crosses this code, so it bounds throughput and
/// must not allocate: the parser fills one reused <see cref="RespRequest"/> with slices of the buffer, and the writer
/// writes into a reused buffer writer.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int PipelineDepth = 16;

    private readonly RespRequest _request = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ReadOnlySequence<byte> _set;
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _pipeline;
    private RespWriter _writer = null!;
    private byte[] _value = [];

    [GlobalSetup]
    public void Setup()
    {
        _value = Values.Payload(100);
        _set = new(Frame("SET", "key:000123", Encoding.ASCII.GetString(_value)));
        _get = new(Frame("GET", "key:000123"));
        _pipeline = new([.. Enumerable.Repeat(Frame("GET", "key:000123"), PipelineDepth).SelectMany(f => f)]);
        _writer = new RespWriter(_output);
    }

    [Benchmark]
    public int ParseSet() => Parse(_set);

    [Benchmark]
    public int ParseGet() => Parse(_get);

    /// <summary>16 pipelined GETs framed out of one buffer, as one socket read delivers them (cost per batch).</summary>
    [Benchmark]
    public int ParsePipelineOf16Gets()
    {
        var reader = new SequenceReader<byte>(_pipeline);
        var parsed = 0;
        while (RespRequestParser.TryParse(ref reader, _request, RespLimits.Default))
        {
            parsed++;
        }
        return parsed;
    }

    [Benchmark]
    public int WriteBulkString100()
    {
        _output.ResetWrittenCount();
        _writer.WriteBulkString(_value);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteOk()
    {
        _output.ResetWrittenCount();
        _writer.WriteOk();
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteInteger()
    {
        _output.ResetWrittenCount();
        _writer.WriteInteger(1_234_567);
        return _output.WrittenCount;
    }

    private int Parse(ReadOnlySequence<byte> frame)
    {
        var reader = new SequenceReader<byte>(frame);
        RespRequestParser.TryParse(ref reader, _request, RespLimits.Default);
        return _request.Count;
    }

    /// <summary>A request as clients send it: a RESP array of bulk strings.</summary>
    internal static byte[] Frame(params string[] args)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new RespWriter(buffer).WriteCommand(args);
        return buffer.WrittenSpan.ToArray();
    }
}
