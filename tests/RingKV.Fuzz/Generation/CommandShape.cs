namespace RingKV.Fuzz.Generation;

/// <summary>
/// What a well-formed call of one command looks like, as a template of argument slots. <see cref="Slots"/> holds one
/// letter per argument: <c>K</c> key, <c>V</c> value, <c>I</c> integer, <c>F</c> float, <c>P</c> glob pattern,
/// <c>E</c> expiry amount, <c>W</c> a key and a value, <c>o</c> an optional entry of <see cref="Options"/>, <c>O</c> a required one,
/// <c>+</c> the previous slot repeated 0 to 4 more times. An option is itself a template of words and slot letters
/// separated by spaces (<c>"EX I"</c>, <c>"MATCH P"</c>).
/// </summary>
/// <param name="Differential">Whether redis-server and a RingKV node must answer it identically (see docs/fuzzing.md).</param>
internal sealed record CommandShape(string Name, string Slots, string[] Options, bool Differential, int Weight = 4);
