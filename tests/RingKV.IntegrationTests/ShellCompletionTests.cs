using RingKV.Cli.Shell;

namespace RingKV.IntegrationTests;

/// <summary>
/// The shell's Tab completion (<see cref="CommandCompletion"/>, pure) over the commands HELP documents, and the
/// bound on its history file.
/// </summary>
public sealed class ShellCompletionTests
{
    private readonly CommandCompletion _completion = new(ShellCommands.Names);

    [Theory]
    [InlineData("list", "list_nodes ")]
    [InlineData("GET_N", "GET_NODES_FOR_KEY ")]
    [InlineData("Cons", "CONSISTENCY ")]
    public void Complete_UniquePrefix_CompletesTheCommandAndAddsASpace(string typed, string completed)
    {
        var result = _completion.Complete(typed, typed.Length);
        Assert.Equal(completed, result.Line);
        Assert.Equal(completed.Length, result.Cursor);
        Assert.Empty(result.Candidates);
    }

    [Fact]
    public void Complete_UniquePrefixBeforeArguments_CompletesTheWordAndKeepsTheRest()
    {
        var result = _completion.Complete("exis user:1", 4);
        Assert.Equal("exists user:1", result.Line);
        Assert.Equal("exists ".Length, result.Cursor);
    }

    [Fact]
    public void Complete_AmbiguousPrefix_ExtendsToTheCommonPrefixAndListsTheCandidates()
    {
        var result = _completion.Complete("ge", 2);
        Assert.Equal("get", result.Line);
        Assert.Equal(3, result.Cursor);
        Assert.Equal(["GET", "GET_NODES_FOR_KEY"], result.Candidates);

        var noLonger = _completion.Complete("M", 1);
        Assert.Equal("M", noLonger.Line);
        Assert.Equal(["MGET", "MSET"], noLonger.Candidates);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("GET us")]
    public void Complete_UnknownPrefixOrNotTheFirstWord_ChangesNothingAndListsNothing(string typed)
    {
        var result = _completion.Complete(typed, typed.Length);
        Assert.Equal(typed, result.Line);
        Assert.Equal(typed.Length, result.Cursor);
        Assert.Empty(result.Candidates);
    }

    [Fact]
    public void Names_EveryCommandHelpTeaches_IsOfferedOnAnEmptyLine()
    {
        var offered = _completion.Complete("", 0).Candidates;
        foreach (var word in ShellCommands.Help.Split([' ', '|', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
                     .Where(w => w.Length > 2 && w.All(c => char.IsAsciiLetterUpper(c) || c == '_')))
        {
            Assert.True(word is "ONE" or "QUORUM" or "ALL" or "READ" or "WRITE" or "EX" or "NX" or "XX" || offered.Contains(word),
                $"HELP mentions {word} but Tab does not complete it");
        }
        Assert.Contains("LIST_NODES", offered);
    }

    [Fact]
    public void History_FileLongerThanTheBound_IsTrimmedToItsLastLinesWhenTheShellStarts()
    {
        var path = Path.Combine(Path.GetTempPath(), "ringkv-history-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, LineHistory.MaxEntries + 500).Select(i => $"GET k{i}"));
            var history = new LineHistory(path);
            Assert.Equal(LineHistory.MaxEntries, history.Entries.Count);
            Assert.Equal("GET k500", history.Entries[0]);
            Assert.Equal(LineHistory.MaxEntries, File.ReadAllLines(path).Length);

            history.Add("PING");
            Assert.Equal(LineHistory.MaxEntries, history.Entries.Count);
            var reopened = new LineHistory(path);
            Assert.Equal(LineHistory.MaxEntries, File.ReadAllLines(path).Length);
            Assert.Equal("PING", reopened.Entries[^1]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
