using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>
/// One real server (the tiny random-weight model, context 2048) shared by the tests of a class, with the official
/// OpenAI .NET clients pointed at its <c>/v1</c> and raw-HTTP helpers for what the SDK would never send.
/// </summary>
public sealed class OpenAiServer : IAsyncLifetime
{
    private ServerFixture? _server;

    public ServerFixture Server => _server ?? throw new InvalidOperationException("the server has not started");

    public HttpClient Http => Server.Http;

    public OpenAIClientOptions ClientOptions => new() { Endpoint = new Uri(Server.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(2) };

    public OpenAIClient Client(string apiKey = "unused") => new(new ApiKeyCredential(apiKey), ClientOptions);

    public ChatClient Chat(string model = ServerFixture.TinyModel) => new(model, new ApiKeyCredential("unused"), ClientOptions);

    public EmbeddingClient Embeddings(string model = ServerFixture.TinyModel) => new(model, new ApiKeyCredential("unused"), ClientOptions);

    /// <summary>Bodies over this size get 413; small, so the oversized-body test need not send megabytes.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Context window per request: room for the tool-calling system prompt, which the tiny model's 512-token vocabulary makes long.</summary>
    public const int ContextSize = 2048;

    /// <summary>Words that tokenize to more than <see cref="ContextSize"/> tokens (each word is at least one token).</summary>
    public static string TooLong(string word) => string.Join(' ', Enumerable.Repeat(word, ContextSize + 100));

    public async Task InitializeAsync() =>
        _server = await ServerFixture.StartAsync(o => o with { MaxRequestBodyBytes = MaxBodyBytes, ContextSize = ContextSize });

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>POSTs <paramref name="json"/> as it is and returns the status and body.</summary>
    public async Task<(int Status, string Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The OpenAI error object of a failed response (asserts the shape).</summary>
    public static JsonElement Error(string body)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error.Clone();
    }

    /// <summary>The <c>data:</c> payloads of an SSE body, in order.</summary>
    public static IReadOnlyList<string> Events(string body)
    {
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        return events.Select(e => e["data: ".Length..]).ToArray();
    }

    /// <summary>A chat request with one user message and a token cap, plus any extra fields (JSON text without braces).</summary>
    public static string ChatBody(string user = "hello", int maxTokens = 16, string extra = "") =>
        $$"""{"model":"tiny","messages":[{"role":"user","content":{{JsonSerializer.Serialize(user)}}}],"max_tokens":{{maxTokens}}{{(extra.Length > 0 ? "," + extra : "")}}}""";
}
