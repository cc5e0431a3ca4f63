namespace RingKV.Nemesis;

/// <summary>Bytes read from one side of a proxied connection and the <see cref="System.Diagnostics.Stopwatch"/> timestamp before which they must not be forwarded.</summary>
internal readonly record struct ProxyChunk(byte[] Bytes, long Due);
