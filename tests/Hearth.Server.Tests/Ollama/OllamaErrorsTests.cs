using System.Net;
using System.Text;
using System.Text.Json;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using OllamaSharp.Models.Exceptions;

namespace Hearth.Server.Tests.Ollama;

/// <summary>Bad requests get a clear 4xx in Ollama's <c>{"error": "…"}</c> shape, and the server keeps serving.</summary>
public sealed class OllamaErrorsTests(OllamaServer fixture) : IClassFixture<OllamaServer>
{
    [Fact]
    public async Task AnUnknownModelIs404ThroughTheClient()
    {
        var request = new ChatRequest { Model = "nope", Messages = [new Message(ChatRole.User, "hi")] };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => OllamaGenerationTests.ToListAsync(fixture.Client.ChatAsync(request)));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("/api/chat", """{"model":"nope","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/api/generate", """{"model":"nope","prompt":"hi"}""")]
    [InlineData("/api/show", """{"model":"nope"}""")]
    [InlineData("/api/embed", """{"model":"nope","input":"hi"}""")]
    public async Task AnUnknownModelIs404InOllamasShape(string path, string body)
    {
        var (status, error) = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model 'nope' not found", error);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AnOutOfRangeOptionIs400NamingItThroughTheClient()
    {
        var request = new GenerateRequest { Model = "tiny", Prompt = "hi", Options = new RequestOptions { TopP = 3f }, Stream = false };
        var error = await Assert.ThrowsAsync<OllamaException>(() => OllamaGenerationTests.ToListAsync(fixture.Client.GenerateAsync(request)));
        Assert.Contains("top_p", error.Message);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"model":"tiny","prompt":"hi","options":{"temprature":0.5}}""", "unknown parameter 'temprature'")]
    [InlineData("""{"model":"tiny","prompt":"hi","options":{"temperature":"hot"}}""", "parameter 'temperature'")]
    [InlineData("""{"model":"tiny","prompt":"hi","options":[1]}""", "'options' must be an object")]
    [InlineData("""{"model":"tiny","prompt":"hi","stream":"yes"}""", "'stream' must be a boolean, got a string")]
    [InlineData("""{"model":"tiny","prompt":42}""", "'prompt' must be a string, got a number")]
    [InlineData("""{"prompt":"hi"}""", "'model' is required")]
    [InlineData("""{"model":"tiny","prompt":"hi","keep_alive":"soon"}""", "invalid keep_alive 'soon'")]
    [InlineData("""{"model":"tiny","prompt":"hi","format":"yaml"}""", "invalid format 'yaml'")]
    [InlineData("""{"model":"tiny","prompt":"hi","suffix":"end"}""", "'suffix' is not supported")]
    [InlineData("""[1, 2]""", "request body must be a JSON object")]
    public async Task WrongFieldsAre400NamingTheField(string body, string expected)
    {
        var (status, error) = await PostAsync("/api/generate", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, error);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"model":"tiny","messages":[{"role":"wizard","content":"hi"}]}""", "'messages[0].role' must be one of system, user, assistant, tool; got 'wizard'")]
    [InlineData("""{"model":"tiny","messages":{"role":"user"}}""", "'messages' must be an array")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":"hi","images":["aGk="]}]}""", "images are not supported")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{}}]}""", "'tools[0].function.name' is required")]
    public async Task WrongChatFieldsAre400NamingTheField(string body, string expected)
    {
        var (status, error) = await PostAsync("/api/chat", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, error);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AnUnsupportedSchemaIs400NamingTheKeywordThroughTheClient()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]+$"}}}""");
        var request = new ChatRequest { Model = "tiny", Messages = [new Message(ChatRole.User, "hi")], Format = schema.RootElement, Stream = false };
        var error = await Assert.ThrowsAsync<OllamaException>(() => OllamaGenerationTests.ToListAsync(fixture.Client.ChatAsync(request)));
        Assert.Contains("'pattern'", error.Message);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("{\"model\":\"tiny\",\"prompt\":")]
    [InlineData("")]
    [InlineData("{'model': 'tiny'}")]
    public async Task MalformedJsonIs400(string body)
    {
        var (status, error) = await PostAsync("/api/chat", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("malformed JSON", error);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("/api/generate", """{"model":"tiny","prompt":"PROMPT","options":{"num_predict":4}}""")]
    [InlineData("/api/chat", """{"model":"tiny","messages":[{"role":"user","content":"PROMPT"}],"options":{"num_predict":4}}""")]
    public async Task ATooLongPromptIs400WithBothLengthsUnlessTruncationIsAskedFor(string path, string template)
    {
        var body = template.Replace("PROMPT", string.Join(' ', Enumerable.Repeat("overflowing words", 400)), StringComparison.Ordinal);
        var (status, error) = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Matches(@"prompt is \d+ tokens but the context is 512 tokens", error);

        var truncated = body.Replace("\"options\"", "\"truncate\":true,\"stream\":false,\"options\"", StringComparison.Ordinal);
        if (path == "/api/chat")
        {
            // Dropping messages cannot shorten a single one: the overflow stays a 400 that says so.
            (status, error) = await PostAsync(path, truncated);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("after dropping 0 older messages", error);
            return;
        }
        var response = await fixture.Server.Http.PostAsync(path, new StringContent(truncated, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var done = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(done.GetProperty("prompt_eval_count").GetInt32() < 512);
    }

    [Fact]
    public async Task AClientThatDisconnectsCancelsItsGenerationAndTheModelServesTheNextRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate")
        {
            // The format's grammar allows no end before 1,000 strings of 32 characters: the reply runs until a large
            // context is full (a random model left free would end its turn after a few tokens, before the test disconnects).
            Content = new StringContent("""
                {"model":"tiny","prompt":"List names.","format":{"type":"array","minItems":1000,
                   "items":{"type":"string","minLength":32,"maxLength":32}},
                 "options":{"num_predict":-1,"num_ctx":16384,"seed":1}}
                """, Encoding.UTF8, "application/json"),
        };
        using (var response = await fixture.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Contains("\"done\":false", await reader.ReadLineAsync());
        } // disconnects mid-stream

        // The cancelled generation releases the model, so this one runs to its end.
        var (status, _) = await PostAsync("/api/generate", """{"model":"tiny","prompt":"hi","stream":false,"options":{"num_predict":2}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        // The server notices the disconnect on its own schedule: wait (bounded) for it to count it.
        var counted = false;
        for (var i = 0; i < 300 && !counted; i++)
        {
            counted = (await fixture.Server.Http.GetStringAsync("/metrics")).Contains("hearth_errors_total{kind=\"client_disconnected\"}", StringComparison.Ordinal);
            if (!counted)
                await Task.Delay(100);
        }
        Assert.True(counted, "the disconnected generation was never counted as client_disconnected: " + await fixture.Server.Http.GetStringAsync("/metrics"));
    }

    private async Task<(HttpStatusCode Status, string Error)> PostAsync(string path, string body)
    {
        var response = await fixture.Server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, "");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!);
    }

    private async Task AssertStillServingAsync()
    {
        var (status, _) = await PostAsync("/api/generate", """{"model":"tiny","prompt":"still there?","stream":false,"options":{"num_predict":2}}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
