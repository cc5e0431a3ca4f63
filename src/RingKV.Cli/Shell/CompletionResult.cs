namespace RingKV.Cli.Shell;

/// <summary>What a Tab press leads to: the edited line, where the cursor goes, and the candidates to list (several, or none).</summary>
public readonly record struct CompletionResult(string Line, int Cursor, IReadOnlyList<string> Candidates);
