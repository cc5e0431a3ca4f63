using System.Net;
using System.Text.Json;
using RingKV.Cli.Local;

namespace RingKV.IntegrationTests.Http;

/// <summary>An HTTP client for one RingKV process, with the assertions the API tests share.</summary>
public sealed class HttpApi(ManagedProcess process) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{process.HttpPort ?? throw new InvalidOperationException($"{process.Name} serves no HTTP")}/"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    public HttpClient Client => _http;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> PutAsync(string path, string body) => _http.PutAsync(path, new StringContent(body));

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path) => _http.PostAsync(path, content: null);

    public async Task<JsonElement> JsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _http.GetAsync(path);
        return await ExpectJsonAsync(response, expected);
    }

    /// <summary>Asserts the status and that the body is JSON; returns the document.</summary>
    public static async Task<JsonElement> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an API error: the status and the JSON <c>{"error", "code"}</c> document.</summary>
    public static async Task ExpectErrorAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string code)
    {
        using var response = await request;
        var error = await ExpectJsonAsync(response, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
    }

    public void Dispose() => _http.Dispose();
}
