using System.Text;

namespace RingKV.Cli.Shell;

/// <summary>
/// A minimal line editor for the shell: left/right, backspace/delete, home/end, up/down through history, and Tab
/// to complete a command name (<see cref="CommandCompletion"/>; several candidates are listed on a new line and the
/// prompt is drawn again below them). Falls back to <see cref="Console.ReadLine"/> when input is redirected (pipes, tests, tmux send-keys scripts).
/// </summary>
public sealed class LineEditor(LineHistory history, CommandCompletion? completion = null)
{
    /// <returns>The line, or null at end of input (Ctrl+D on an empty line).</returns>
    public string? ReadLine(string prompt)
    {
        Console.Write(prompt);
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine();
        }
        var line = new StringBuilder();
        var cursor = 0;
        var recall = history.Entries.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return line.ToString();
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < line.Length:
                    line.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = line.Length;
                    break;
                case ConsoleKey.UpArrow when recall > 0:
                    line.Clear().Append(history.Entries[--recall]);
                    cursor = line.Length;
                    break;
                case ConsoleKey.DownArrow when recall < history.Entries.Count:
                    recall++;
                    line.Clear().Append(recall < history.Entries.Count ? history.Entries[recall] : "");
                    cursor = line.Length;
                    break;
                case ConsoleKey.Tab when completion is not null:
                    var completed = completion.Complete(line.ToString(), cursor);
                    line.Clear().Append(completed.Line);
                    cursor = completed.Cursor;
                    if (completed.Candidates.Count > 0)
                    {
                        // Redraw rewrites the prompt from column 0 of the line after the list, as bash does.
                        Console.WriteLine();
                        Console.WriteLine(string.Join("  ", completed.Candidates));
                    }
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    Console.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }
                    break;
            }
            Redraw(prompt, line, cursor);
        }
    }

    private static void Redraw(string prompt, StringBuilder line, int cursor)
    {
        // Carriage return, rewrite, clear to end of line, then put the cursor back where it belongs.
        Console.Write($"\r{prompt}{line}\u001b[K");
        var back = line.Length - cursor;
        if (back > 0)
        {
            Console.Write($"\u001b[{back}D");
        }
    }
}
