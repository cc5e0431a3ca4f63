using System.Net.Sockets;
using System.Text;

namespace RingKV.IntegrationTests.Nemesis;

/// <summary>
/// Sends one RESP command at a time over a socket the caller made, e.g. one that NetworkLab opened inside a namespace
/// (RespConnection only connects from the test's own namespace). Understands the replies of simple commands:
/// simple strings, errors, integers, bulk strings and nulls.
/// </summary>
public sealed class BareResp : IDisposable
{
    private readonly NetworkStream _stream;
    private readonly BufferedStream _input;

    public BareResp(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = new BufferedStream(_stream);
    }

    /// <returns>The reply as text; null for a null reply.</returns>
    /// <exception cref="InvalidOperationException">An error reply, or one of a type this reader does not handle.</exception>
    /// <exception cref="OperationCanceledException">No complete reply within <paramref name="timeout"/>.</exception>
    public async Task<string?> ExecuteAsync(TimeSpan timeout, params string[] args)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var request = new StringBuilder($"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), deadline.Token);
        var line = await ReadLineAsync(deadline.Token);
        switch (line[0])
        {
            case '+' or ':':
                return line[1..];
            case '_':
                return null;
            case '-':
                throw new InvalidOperationException($"{string.Join(' ', args)}: {line[1..]}");
            case '$':
                var length = int.Parse(line.AsSpan(1));
                if (length < 0)
                {
                    return null;
                }
                var bulk = new byte[length + 2];
                await _input.ReadExactlyAsync(bulk, deadline.Token);
                return Encoding.UTF8.GetString(bulk, 0, length);
            default:
                throw new InvalidOperationException($"{string.Join(' ', args)}: unexpected reply '{line}'");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await _input.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException($"the connection closed in the middle of a reply ('{line}')");
            }
            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }
            line.Append((char)one[0]);
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _stream.Dispose();
    }
}
