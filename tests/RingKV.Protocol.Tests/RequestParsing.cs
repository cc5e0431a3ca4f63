using System.Buffers;

namespace RingKV.Protocol.Tests;

/// <summary>Drives <see cref="RespRequestParser"/> the way a connection does: parse repeatedly until it needs more.</summary>
internal static class RequestParsing
{
    /// <summary>Every complete request in <paramref name="input"/>, arguments as Latin-1 text, and the bytes consumed.</summary>
    public static (string[][] Requests, long Consumed) ParseAll(ReadOnlySequence<byte> input, RespLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(input);
        // One request object reused across parses, as a connection does; arguments are copied out before the next.
        var request = new RespRequest();
        var requests = new List<string[]>();
        while (RespRequestParser.TryParse(ref reader, request, limits ?? RespLimits.Default))
        {
            requests.Add([.. Enumerable.Range(0, request.Count).Select(i => SequenceVariant.Text(request[i]))]);
        }
        return ([.. requests], reader.Consumed);
    }

    /// <summary>The first request of <paramref name="input"/> (which must hold a complete one) and the bytes it took.</summary>
    public static (RespRequest Request, long Consumed) ParseOne(byte[] input)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        var request = new RespRequest();
        Assert.True(RespRequestParser.TryParse(ref reader, request, RespLimits.Default), "incomplete request");
        return (request, reader.Consumed);
    }

    /// <summary>The exception thrown while parsing <paramref name="input"/> with <paramref name="limits"/>.</summary>
    public static RespProtocolException ParseExpectingError(ReadOnlySequence<byte> input, RespLimits? limits = null) =>
        Assert.Throws<RespProtocolException>(() => ParseAll(input, limits));
}
