namespace RingKV.Verification.Tests;

/// <summary>Terse builders for hand-written histories: one key "k" unless told otherwise.</summary>
internal static class Ops
{
    public const string K = "k";

    public static Operation W(int process, string value, long invoke, long complete, Outcome outcome = Outcome.Ok, string key = K) =>
        new(process, OperationKind.Write, key, value, invoke, complete, outcome);

    /// <summary>A write with an unknown outcome, as a recorder stores it when the client gave up at <paramref name="gaveUp"/>.</summary>
    public static Operation WUnknown(int process, string value, long invoke, long gaveUp = long.MaxValue, string key = K) =>
        new(process, OperationKind.Write, key, value, invoke, gaveUp, Outcome.Unknown, "timeout");

    public static Operation R(int process, string? value, long invoke, long complete, Outcome outcome = Outcome.Ok, string key = K) =>
        new(process, OperationKind.Read, key, value, invoke, complete, outcome);

    public static History H(params Operation[] operations) => new(operations);

    /// <summary>A history whose final read of "k" returned <paramref name="final"/>.</summary>
    public static History HFinal(string? final, params Operation[] operations) =>
        new(operations, new Dictionary<string, string?> { [K] = final });
}
